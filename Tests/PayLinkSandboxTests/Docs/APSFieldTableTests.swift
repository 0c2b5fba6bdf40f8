import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing

/// The field tables of `docs/aps.md` ("Fields of each command") against the sandbox: a request
/// with exactly the fields a table marks mandatory succeeds; leaving out any one of them is
/// refused with `001` and an `X-Sandbox-Detail` that names it; adding any optional field to
/// that request still succeeds. So a field the code requires cannot be missing from the docs,
/// nor a documented optional field be refused.
struct APSFieldTableTests {
    /// One row of a command's table.
    struct Row {
        var fields: [String]
        var mandatory: String
    }

    /// The rows of `### COMMAND`'s table.
    static func rows(of command: String) throws -> [Row] {
        let page = try DocsExampleTests.page("docs/aps.md")
        guard let start = page.range(of: "\n### \(command)\n") else { throw Missing("no section ### \(command) in docs/aps.md") }
        let section = page[start.upperBound...].components(separatedBy: "\n#").first ?? ""
        return section.components(separatedBy: "\n").compactMap { line in
            guard line.hasPrefix("| `") else { return nil }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3 else { return nil }
            let names = cells[1].components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            return Row(fields: names, mandatory: cells[2])
        }
    }

    struct Missing: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }

    /// What a command needs to exist first (a link, a paid order), and the request's base fields.
    struct Setup {
        var link: String
        var reference: String
        var fortID: String?
    }

    /// The command's name field and value, the code that means success, and how to prepare.
    struct CommandCase: Sendable, CustomStringConvertible {
        var name: String
        var nameField: String
        var success: String
        /// `nil`: no link needed; otherwise the link's `link_command` and whether it is paid.
        var linkCommand: String?
        var paid: Bool
        var description: String { name }
    }

    static let cases: [CommandCase] = [
        CommandCase(name: "PAYMENT_LINK", nameField: "service_command", success: "48000", linkCommand: nil, paid: false),
        CommandCase(name: "CHECK_PAYMENT_LINK_STATUS", nameField: "query_command", success: "12000", linkCommand: "PURCHASE", paid: false),
        CommandCase(name: "UPDATE_PAYMENT_LINK", nameField: "service_command", success: "78000", linkCommand: "PURCHASE", paid: false),
        CommandCase(name: "CHECK_STATUS", nameField: "query_command", success: "12000", linkCommand: "PURCHASE", paid: true),
        CommandCase(name: "CAPTURE", nameField: "command", success: "04000", linkCommand: "AUTHORIZATION", paid: true),
        CommandCase(name: "REFUND", nameField: "command", success: "06000", linkCommand: "PURCHASE", paid: true),
        CommandCase(name: "VOID_AUTHORIZATION", nameField: "command", success: "08000", linkCommand: "AUTHORIZATION", paid: true),
    ]

    /// A valid value for a field in a request of this command, against the prepared link.
    static func sample(_ field: String, command: String, setup: Setup?, trial: Int) throws -> String {
        switch field {
        case "merchant_reference": return setup?.reference ?? "table-\(trial)"
        case "payment_link_id": return setup?.link ?? "merchant-own-\(trial)"
        case "fort_id": return setup?.fortID ?? "1"
        case "amount": return "10000"
        case "currency": return "SAR"
        case "language": return "en"
        case "customer_email": return "table@example.com"
        case "request_expiry_date": return "2026-02-01T00:00:00+03:00"
        case "notification_type": return "NONE"
        // UPDATE takes the fields fixed at creation only with the link's own value: the prepared
        // links are PURCHASE links with this payment option, return URL, extras and settlement reference.
        case "link_command": return command == "UPDATE_PAYMENT_LINK" ? "PURCHASE" : "AUTHORIZATION"
        case "payment_option": return "VISA"
        case "order_description": return "Table test order"
        case "customer_name": return "Table Tester"
        case "customer_phone": return "00966500000001"
        case "return_url": return "https://shop.example/return"
        case "settlement_reference": return "settle-1"
        case "payment_link_status": return "Closed"
        case "return_third_party_response_codes": return "YES"
        case "maintenance_reference": return "maint-\(trial)"
        case "merchant_extra", "merchant_extra1", "merchant_extra2", "merchant_extra3", "merchant_extra4", "merchant_extra5":
            return "extra-1"
        default: throw Missing("docs/aps.md's \(command) table has `\(field)`, which this test has no sample value for")
        }
    }

    /// Makes the link (and order) the command works on.
    static func prepare(_ command: CommandCase, aps: APSTestClient, trial: Int) throws -> Setup? {
        guard let linkCommand = command.linkCommand else { return nil }
        let reference = "tbl-\(command.name.lowercased())-\(trial)"
        let link = try aps.createLink(reference, ["link_command": .string(linkCommand), "amount": "10000",
                                                  "request_expiry_date": "2026-02-01T00:00:00+03:00",
                                                  "payment_option": "VISA", "return_url": "https://shop.example/return",
                                                  "settlement_reference": "settle-1", "merchant_extra": "extra-1",
                                                  "merchant_extra1": "extra-1", "merchant_extra2": "extra-1", "merchant_extra3": "extra-1",
                                                  "merchant_extra4": "extra-1", "merchant_extra5": "extra-1"])
        guard command.paid else { return Setup(link: link, reference: reference) }
        let paid = try aps.http.post("/__sandbox/links/\(link)/pay", json: #"{"card_number":"4005550000000001"}"#)
        guard case .object(let body) = try JSONParser.parse(paid.body), let fortID = body["fort_id"]?.stringValue else {
            throw Missing("pay failed: \(paid.text)")
        }
        return Setup(link: link, reference: reference, fortID: fortID)
    }

    /// The request with the fields the table marks mandatory (the first of "one of" groups).
    static func mandatoryRequest(_ command: CommandCase, rows: [Row], setup: Setup?, trial: Int) throws -> JSONObject {
        var request: JSONObject = [command.nameField: .string(command.name)]
        for row in rows where row.fields != [command.nameField] {
            if row.mandatory == "yes" {
                for field in row.fields { request[field] = .string(try sample(field, command: command.name, setup: setup, trial: trial)) }
            } else if row.mandatory.hasPrefix("one of") || row.mandatory.hasPrefix("one or"),
                      let first = row.fields.first, !request.keys.contains(where: { rows.oneOfFields.contains($0) }) {
                request[first] = .string(try sample(first, command: command.name, setup: setup, trial: trial))
            }
        }
        return request
    }

    @Test(arguments: cases)
    func mandatoryFieldsOfTheDocs_sufficeAndEachIsRequired(_ command: CommandCase) async throws {
        let rows = try Self.rows(of: command.name)
        #expect(!rows.isEmpty)
        try await withSandbox { _, aps in
            var trial = 0
            let setup = try Self.prepare(command, aps: aps, trial: trial)
            let base = try Self.mandatoryRequest(command, rows: rows, setup: setup, trial: trial)
            let reply = try aps.send(base)
            #expect(reply.code == command.success, "\(command.name) with the documented mandatory fields \(base.keys.sorted()): \(reply.object)")

            for field in base.keys where field != command.nameField {
                trial += 1
                let setup = try Self.prepare(command, aps: aps, trial: trial)
                var request = try Self.mandatoryRequest(command, rows: rows, setup: setup, trial: trial)
                request[field] = nil
                // A link named by one field of a "one of" pair may be named by the other.
                if rows.oneOfFields.contains(field) { for other in rows.oneOfFields { request[other] = nil } }
                let refused = try aps.send(request)
                #expect(refused.code?.hasSuffix("001") == true, "\(command.name) without `\(field)`: \(refused.object)")
                #expect(refused.detail?.contains(field) == true || rows.oneOfFields.contains(field),
                        "\(command.name) without `\(field)`: X-Sandbox-Detail \(refused.detail ?? "absent")")
            }
        }
    }

    @Test(arguments: cases)
    func eachOptionalFieldOfTheDocs_isAccepted(_ command: CommandCase) async throws {
        let rows = try Self.rows(of: command.name)
        let optional = rows.filter { $0.mandatory == "no" }.flatMap(\.fields)
        try await withSandbox { _, aps in
            for (trial, field) in optional.enumerated() {
                let setup = try Self.prepare(command, aps: aps, trial: trial + 100)
                var request = try Self.mandatoryRequest(command, rows: rows, setup: setup, trial: trial + 100)
                request[field] = .string(try Self.sample(field, command: command.name, setup: setup, trial: trial + 100))
                let reply = try aps.send(request)
                #expect(reply.code == command.success, "\(command.name) with optional `\(field)`: \(reply.object)")
                #expect(reply[field] != nil, "\(command.name) does not echo optional `\(field)`")
            }
        }
    }
}

private extension [APSFieldTableTests.Row] {
    /// The fields of "one of the two" / "one or both" rows: a request names the link or order by any of them.
    var oneOfFields: Set<String> {
        Set(filter { $0.mandatory.hasPrefix("one of") || $0.mandatory.hasPrefix("one or") }.flatMap(\.fields))
    }
}
