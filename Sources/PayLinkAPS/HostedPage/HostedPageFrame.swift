import PayLinkSupport

/// The hosted page's frame: one document with inline styles (no external assets, so the page
/// works offline and with JavaScript off), in the page's language and direction.
enum HostedPageFrame {
    /// A whole document in the page's language and direction.
    static func document(title: String, text: PageText, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(text.languageCode)" dir="\(text.direction)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>\(HTML.escape(title))</title>
        <style>\(style)</style>
        </head>
        <body>
        <main class="sheet">
        <p class="sandbox-banner">\(HTML.escape(text.sandboxBanner))</p>
        \(body)
        </main>
        </body>
        </html>
        """
    }


    static let style = """
    *{box-sizing:border-box}
    body{margin:0;background:#eef1f5;color:#1d2733;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,sans-serif}
    .sheet{max-width:34rem;margin:2rem auto;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(20,30,50,.12);padding:1.5rem 1.75rem 2rem}
    .sandbox-banner{margin:-1.5rem -1.75rem 1.25rem;padding:.45rem 1.75rem;background:#fff4d6;color:#6b4e00;font-size:.8rem;border-radius:12px 12px 0 0}
    h1{font-size:1.3rem;margin:0 0 .25rem}
    .merchant{color:#5a6675;margin:0 0 1rem}
    .amount{font-size:2rem;font-weight:700;margin:.25rem 0 1rem;direction:ltr;unicode-bidi:isolate}
    [dir=rtl] .amount{text-align:right}
    dl.summary{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem;margin:0 0 1.25rem;font-size:.95rem}
    dl.summary dt{color:#5a6675}
    dl.summary dd{margin:0}
    fieldset{border:1px solid #d5dbe3;border-radius:8px;margin:0 0 1rem;padding:.75rem 1rem 1rem}
    legend{font-weight:600;padding:0 .3rem}
    .options{display:flex;flex-wrap:wrap;gap:.5rem}
    .option{display:flex;align-items:center;gap:.4rem;border:1px solid #c9d1db;border-radius:6px;padding:.35rem .6rem;cursor:pointer}
    .option input{margin:0}
    .plans{display:flex;flex-direction:column;gap:.5rem}
    .plan{align-items:flex-start;padding:.5rem .7rem}
    .plan small{display:block;color:#5a6675;font-size:.85rem}
    label.field{display:block;margin:.6rem 0 .2rem;font-size:.9rem;color:#3a4654}
    input[type=text],input[type=tel],input[type=password]{width:100%;padding:.55rem .65rem;border:1px solid #b9c3cf;border-radius:6px;font:inherit}
    input[inputmode=numeric]{direction:ltr}
    [dir=rtl] input[inputmode=numeric]{text-align:right}
    .row{display:grid;grid-template-columns:1fr 1fr;gap:0 .75rem}
    .hint{font-size:.8rem;color:#5a6675;margin:.2rem 0 0}
    .error{color:#b00020;font-size:.85rem;margin:.25rem 0 0}
    .errors{background:#fdecee;border:1px solid #f3b7bf;color:#7a0016;border-radius:8px;padding:.6rem 1rem;margin:0 0 1rem}
    .errors ul{margin:.3rem 0 0;padding-inline-start:1.2rem}
    .terms{display:flex;gap:.5rem;align-items:flex-start;margin:1rem 0}
    button{width:100%;padding:.75rem;border:0;border-radius:8px;background:#232f3e;color:#fff;font:inherit;font-weight:600;cursor:pointer}
    button:hover{background:#37475a}
    .status{padding:1rem;border-radius:8px;margin:1rem 0;font-weight:600}
    .status.paid{background:#e6f5ea;color:#145a2a}
    .status.closed,.status.expired,.status.declined{background:#fdecee;color:#7a0016}
    .status.uncertain{background:#fff4d6;color:#6b4e00}
    .code{font-family:ui-monospace,monospace;direction:ltr;unicode-bidi:isolate}
    [dir=rtl] p.code{text-align:right}
    table.params{width:100%;border-collapse:collapse;font-size:.8rem;margin-top:1rem}
    table.params td{border-top:1px solid #e3e7ec;padding:.2rem .3rem;vertical-align:top}
    table.params td.name{white-space:nowrap;word-break:normal;overflow-wrap:normal}
    table.params td.value{word-break:normal;overflow-wrap:anywhere}
    [dir=rtl] table.params td{text-align:right}
    """
}
