import PayLinkHTTP
import PayLinkSupport

/// The dashboard's page frame: the back office's navigation and a wide layout for tables. No
/// external assets and no script, so it works offline and in any test browser.
enum DashboardHTML {
    static func document(title: String, active: String, body: String) -> String {
        func nav(_ path: String, _ label: String) -> String {
            "<a href=\"\(path)\"\(active == path ? " aria-current=\"page\"" : "")>\(HTML.escape(label))</a>"
        }
        return """
        <!DOCTYPE html>
        <html lang="en" dir="ltr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>\(HTML.escape(title)) · PayLinkSandbox</title>
        <style>\(style)</style>
        </head>
        <body>
        <header class="bar"><strong>PayLinkSandbox</strong><span class="tag">sandbox back office</span>
        <nav>\(nav(Dashboard.root, "Invoice management"))\(nav(Dashboard.newLinkPath, "Generate link"))\(nav(Dashboard.bulkPath, "Bulk generate"))</nav>
        <nav class="console" aria-label="Developer console"><span class="tag">developer console</span>\(nav(DeveloperConsole.outboxPath, "Outbox"))\(nav(DeveloperConsole.deliveriesPath, "Deliveries"))\(nav(DeveloperConsole.journalPath, "Journal"))\(nav(DeveloperConsole.signaturePath, "Signatures"))\(nav(DeveloperConsole.payByLinkPath, "PayByLink"))</nav></header>
        <main>
        <h1>\(HTML.escape(title))</h1>
        \(body)
        </main>
        </body>
        </html>
        """
    }

    static func response(_ html: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTML.headers, body: Array(html.utf8))
    }

    /// POST, then redirect, then GET: a reload does not submit the form again.
    static func seeOther(_ location: String) -> HTTPResponse {
        var headers = HTML.headers
        headers.add(name: "Location", value: location)
        return HTTPResponse(status: 303, headers: headers, body: Array("See \(location)".utf8))
    }

    static func errors(_ messages: [String]) -> String {
        guard !messages.isEmpty else { return "" }
        return "<div class=\"errors\" role=\"alert\"><ul>" + messages.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></div>"
    }

    static func notice(_ message: String) -> String {
        "<p class=\"notice\" role=\"status\">\(HTML.escape(message))</p>"
    }

    static let style = """
    *{box-sizing:border-box}
    body{margin:0;background:#f3f5f8;color:#1d2733;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",sans-serif}
    .bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem;background:#232f3e;color:#fff;padding:.6rem 1.5rem}
    .bar .tag{background:#fff4d6;color:#6b4e00;border-radius:4px;padding:.05rem .45rem;font-size:.75rem}
    .bar nav{display:flex;gap:1rem;margin-inline-start:auto}
    .bar a{color:#dfe6ee;text-decoration:none}
    .bar a[aria-current]{color:#fff;font-weight:600;border-bottom:2px solid #ff9900}
    main{padding:1rem 1.5rem 2rem;max-width:90rem}
    h1{font-size:1.35rem;margin:.25rem 0 1rem}
    h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
    form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;background:#fff;border:1px solid #d5dbe3;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}
    label{display:flex;flex-direction:column;font-size:.8rem;color:#3a4654;gap:.15rem}
    label.check{flex-direction:row;align-items:center;gap:.4rem;font-size:.95rem;color:inherit}
    input,select,textarea{font:inherit;padding:.35rem .5rem;border:1px solid #b9c3cf;border-radius:5px;background:#fff}
    textarea{width:100%;min-height:12rem;font-family:ui-monospace,monospace;font-size:.85rem}
    button{font:inherit;font-weight:600;padding:.4rem 1rem;border:0;border-radius:5px;background:#232f3e;color:#fff;cursor:pointer}
    .summary{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}
    .exports a{margin-inline-end:.6rem}
    .scroll{overflow-x:auto}
    table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #d5dbe3;font-size:.88rem}
    th,td{text-align:start;padding:.4rem .55rem;border-bottom:1px solid #e3e7ec;vertical-align:top}
    th{background:#f7f9fb;font-weight:600}
    td.num{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}
    .state{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.8rem;font-weight:600}
    .state.Open{background:#e3effd;color:#0b4a8b}.state.Paid{background:#e6f5ea;color:#145a2a}
    .state.Closed{background:#eceff3;color:#3a4654}.state.Expired{background:#fdecee;color:#7a0016}
    dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.25rem;background:#fff;border:1px solid #d5dbe3;border-radius:8px;padding:.75rem 1rem;margin:0}
    dl.fields dt{color:#5a6675}dl.fields dd{margin:0;word-break:break-all}
    form.card{background:#fff;border:1px solid #d5dbe3;border-radius:8px;padding:.75rem 1rem;display:grid;gap:.6rem;max-width:44rem}
    form.card .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.6rem 1rem}
    .hint{font-size:.8rem;color:#5a6675;margin:0}
    .errors{background:#fdecee;border:1px solid #f3b7bf;color:#7a0016;border-radius:8px;padding:.5rem 1rem;margin:0 0 1rem}
    .errors ul{margin:0;padding-inline-start:1.2rem}
    .notice{background:#e6f5ea;border:1px solid #b5dcc0;color:#145a2a;border-radius:8px;padding:.5rem 1rem}
    .pages{margin:.75rem 0;display:flex;gap:1rem}
    code{font-family:ui-monospace,monospace;font-size:.85em}
    .bar nav.console{margin-inline-start:0;flex-basis:100%;justify-content:flex-end;align-items:center;font-size:.9rem}
    .bar nav.console .tag{background:#d9ecff;color:#0b3a66}
    nav.tabs{display:flex;gap:1rem;margin:0 0 .75rem}nav.tabs a[aria-current]{font-weight:600}
    ol.outbox{list-style:none;padding:0;margin:0;display:grid;gap:1rem}
    article.email{background:#fff;border:1px solid #d5dbe3;border-radius:8px;max-width:46rem;overflow:hidden}
    article.email header{background:#f7f9fb;border-bottom:1px solid #e3e7ec;padding:.5rem 1rem}
    article.email header dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:0;font-size:.88rem}
    article.email header dt{color:#5a6675}article.email header dd{margin:0}article.email .subject{font-weight:600}
    article.email .body{padding:.75rem 1rem;white-space:pre-wrap;overflow-wrap:anywhere}
    .meta{font-size:.78rem;color:#5a6675;margin:0;padding:.35rem 1rem}
    article.sms .phone{background:#e9edf2;border:8px solid #1d2733;border-radius:22px;padding:.6rem .75rem 1rem;max-width:22rem}
    article.sms .to{font-size:.78rem;color:#5a6675;text-align:center;margin:0 0 .5rem}
    article.sms .bubble{background:#fff;border-radius:16px 16px 16px 4px;padding:.5rem .75rem;margin:0;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere;box-shadow:0 1px 1px rgba(0,0,0,.08)}
    article.sms .meta{padding:.35rem 0}
    section.record{background:#fff;border:1px solid #d5dbe3;border-radius:8px;padding:.25rem 1rem .75rem;margin:0 0 1rem}
    section.record h2{margin:.6rem 0}section.record dl.fields{border:0;padding:0}
    section.record table{margin:.5rem 0}
    table.operations,table.history{margin-top:.5rem}table ul{margin:0;padding-inline-start:1.1rem}
    details{margin:.5rem 0}summary{cursor:pointer}
    details.entry{background:#fff;border:1px solid #d5dbe3;border-radius:6px;padding:.4rem .75rem;margin:0 0 .4rem}
    details.entry .exchange{padding:.5rem 0 0}
    .seq{color:#5a6675;font-variant-numeric:tabular-nums}
    .http{display:inline-block;border-radius:4px;padding:0 .35rem;font-size:.8rem;font-weight:600;background:#eceff3}
    .http.s2{background:#e6f5ea;color:#145a2a}.http.s4,.http.s5{background:#fdecee;color:#7a0016}.http.s3{background:#e3effd;color:#0b4a8b}
    .pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}.pair h3{font-size:.95rem;margin:.25rem 0}
    pre.code{background:#f7f9fb;border:1px solid #e3e7ec;border-radius:6px;padding:.5rem .75rem;overflow-x:auto;font-size:.8rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:.25rem 0}
    form.inline{display:flex;align-items:center;gap:.75rem;margin:.5rem 0 0}
    form.card.wide{max-width:60rem}
    a.button{display:inline-block;background:#232f3e;color:#fff;border-radius:5px;padding:.3rem .8rem;text-decoration:none;font-weight:600}
    .verdict{font-weight:600}
    code.canonical,code.expected,code.given,.errors code,.exchange code{word-break:break-all}
    .state.Sent,.state.Opened,.state.pending,.state.Processing,.state.Validating,.state.Uploaded{background:#e3effd;color:#0b4a8b}
    .state.delivered,.state.Completed,.state.PartiallyPaid{background:#e6f5ea;color:#145a2a}
    .state.failed,.state.Failed,.state.Cancelled,.state.CompletedWithErrors{background:#fdecee;color:#7a0016}
    .state.Pending,.state.AwaitingUpload,.state.Validated{background:#eceff3;color:#3a4654}
    """
}
