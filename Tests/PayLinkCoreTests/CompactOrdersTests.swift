import PayLinkCore
import Testing

/// The compact order store: every field of an order comes back as it went in (each status,
/// operations beyond the payment, IDs of an unusual shape, no link), `fort_id` finds its
/// order, and a merchant reference finds its newest order.
struct CompactOrdersTests {
    static let start = SandboxInstant(secondsSince1970: 1_767_225_600)

    static func order(_ i: Int, reference: String? = nil) -> Order {
        let command: TransactionCommand = i % 2 == 0 ? .purchase : .authorization
        let status: OrderStatus = switch i % 5 {
        case 1: .declined(APSResponseCode(status: command.failureStatus, message: i % 10 == 1 ? "016" : "006"))
        case 2: .uncertain(resolvesAt: start.adding(seconds: Int64(600 + i)), approves: i % 4 == 2)
        default: .approved
        }
        let payment = PaymentDetails(maskedCardNumber: i % 3 == 0 ? "400555******0001" : "512345******0008",
                                     paymentOption: i % 3 == 0 ? "VISA" : "MASTERCARD", expiryDate: "2905",
                                     cardHolderName: i % 7 == 0 ? "Zoë Çelik \(i)" : nil, customerIP: "127.0.0.\(i % 3 + 1)")
        var order = Order(
            fortID: i % 40 == 3 ? "fort-\(i)" : String(200_000_000_000_000_000 + i), merchantIdentifier: ["M1", "M2"][i % 2],
            merchantReference: reference ?? "order-\(i)", paymentLinkID: i % 6 == 5 ? nil : i % 30 == 4 ? "link-\(i)" : String(100_000_000_000_000_000 + i),
            command: command, currency: i % 4 == 0 ? "AED" : "SAR", amount: Int64(1_000 + i),
            authorizationCode: status == .approved ? String(100_000 + i) : "", payment: payment,
            createdAt: start.adding(seconds: Int64(i)), status: status)
        if i % 9 == 0 && status == .approved {
            order.refundedAmount = order.capturedAmount / 2
            order.operations.append(.restored(command: .refund, amount: order.refundedAmount, at: start.adding(seconds: Int64(i + 5)),
                                              maintenanceReference: i % 18 == 0 ? "m-\(i)" : nil))
        }
        if i % 11 == 0 && command == .authorization && status == .approved { order.voided = true }
        return order
    }

    @Test func everyOrderComesBackAsStored_andIsFoundByFortIDAndNewestReference() {
        var orders = CompactOrders()
        orders.reserveCapacity(forMore: 100)
        var stored: [Order] = []
        for i in 0..<2_000 {
            // Every tenth order repeats an earlier reference: the newer is the one found.
            let order = Self.order(i, reference: i % 10 == 9 ? "order-\(i - 9)" : nil)
            #expect(orders.append(order) == i)
            stored.append(order)
        }
        #expect(orders.count == stored.count)
        #expect(Array(orders.values) == stored)
        for (i, order) in stored.enumerated() {
            #expect(orders[i] == order)
            #expect(orders.ordinal(fortID: order.fortID) == i)
            #expect(orders[fortID: order.fortID] == order)
        }
        for i in stride(from: 0, to: 2_000, by: 10) where i % 2 == 0 {
            // order-i is made by order i (merchant M1, even) and again by order i + 9 (M2, odd).
            #expect(orders.newest(merchant: "M1", reference: "order-\(i)") == stored[i])
            #expect(orders.newest(merchant: "M2", reference: "order-\(i)") == stored[i + 9])
        }
        #expect(orders.ordinal(fortID: "0200000000000000000") == nil)
        #expect(orders.newest(merchant: "M3", reference: "order-0") == nil)
    }

    @Test func replacedOrdersKeepTheirPlace_andTheirOperations() {
        var orders = CompactOrders()
        var stored = (0..<300).map { Self.order($0) }
        for order in stored { orders.append(order) }
        for i in stride(from: 0, to: 300, by: 4) where stored[i].status == .approved {
            var next = stored[i]
            next.capturedAmount = next.amount
            next.operations.append(.restored(command: .capture, amount: next.amount, at: Self.start.adding(seconds: 900), maintenanceReference: "c\(i)"))
            orders.replace(i, with: next)
            stored[i] = next
        }
        for i in stride(from: 2, to: 300, by: 5) {
            var next = stored[i]
            next.status = .approved
            orders.replace(i, with: next)
            stored[i] = next
        }
        #expect(Array(orders.values) == stored)
        for (i, order) in stored.enumerated() { #expect(orders[fortID: order.fortID] == order && orders.ordinal(fortID: order.fortID) == i) }
    }
}
