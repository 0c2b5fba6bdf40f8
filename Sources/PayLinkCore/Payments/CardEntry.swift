/// What a customer typed into the card form, checked the way the hosted page checks it before
/// anything is charged: the number by Luhn, length and scheme; the expiry (`YYMM`) against the
/// sandbox clock; the security code's length by scheme; a holder name.
public struct CardEntry: Sendable, Equatable {
    public var number: String
    /// `YYMM`, as APS's `expiry_date`.
    public var expiryDate: String
    public var securityCode: String
    public var holderName: String

    public init(number: String, expiryDate: String, securityCode: String, holderName: String) {
        self.number = number
        self.expiryDate = expiryDate
        self.securityCode = securityCode
        self.holderName = holderName
    }

    /// A card that passed every check.
    public struct Checked: Sendable, Equatable {
        public var brand: CardBrand
        public var details: PaymentDetails
        /// The full number, kept only to look up the test card's outcome.
        public var number: String

        public init(brand: CardBrand, details: PaymentDetails, number: String) {
            self.brand = brand
            self.details = details
            self.number = number
        }
    }

    /// One field's problem; `field` is the APS parameter name.
    public struct Problem: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case missing, invalidNumber, unknownScheme, schemeMismatch, invalidExpiry, expired, invalidSecurityCode
        }
        public var field: String
        public var kind: Kind
    }

    /// Every problem of an entry, in form order.
    public struct Rejection: Error, Sendable, Equatable {
        public var problems: [Problem]
    }

    /// Checks the entry at `now`; `option` is the card scheme the customer picked, if any.
    /// Spaces and dashes in the number are ignored, as card forms do.
    public func check(option: CardBrand?, at now: SandboxInstant) throws(Rejection) -> Checked {
        var problems: [Problem] = []
        let digits = String(number.unicodeScalars.filter { $0 != " " && $0 != "-" })
        var brand: CardBrand?
        if digits.isEmpty {
            problems.append(Problem(field: "card_number", kind: .missing))
        } else if !TestCards.isValidNumber(digits) {
            problems.append(Problem(field: "card_number", kind: .invalidNumber))
        } else if let detected = CardBrand.of(digits) {
            if !detected.numberLengths.contains(digits.count) {
                problems.append(Problem(field: "card_number", kind: .invalidNumber))
            } else if let option, !detected.isAccepted(as: option, number: digits) {
                problems.append(Problem(field: "card_number", kind: .schemeMismatch))
            } else {
                brand = detected
            }
        } else {
            problems.append(Problem(field: "card_number", kind: .unknownScheme))
        }

        switch Self.expiryProblem(expiryDate, at: now) {
        case let kind?: problems.append(Problem(field: "expiry_date", kind: kind))
        case nil: break
        }

        let codeDigits = securityCode.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        if securityCode.isEmpty {
            problems.append(Problem(field: "card_security_code", kind: .missing))
        } else if !codeDigits || securityCode.utf8.count != (brand?.securityCodeLength ?? securityCode.utf8.count) || !(3...4).contains(securityCode.utf8.count) {
            problems.append(Problem(field: "card_security_code", kind: .invalidSecurityCode))
        }

        let holder = holderName.trimmingSpaces
        if holder.isEmpty { problems.append(Problem(field: "card_holder_name", kind: .missing)) }

        guard problems.isEmpty, let brand else { throw Rejection(problems: problems) }
        let paidAs = option ?? brand
        return Checked(brand: brand, details: PaymentDetails(
            maskedCardNumber: TestCards.masked(digits), paymentOption: paidAs.rawValue, expiryDate: expiryDate, cardHolderName: holder),
            number: digits)
    }

    /// `YYMM` with a month 01–12, not before the current month on the sandbox clock.
    public static func expiryProblem(_ text: String, at now: SandboxInstant) -> Problem.Kind? {
        if text.isEmpty { return .missing }
        let bytes = Array(text.utf8)
        guard bytes.count == 4, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return .invalidExpiry }
        let year = 2000 + Int(bytes[0] - 48) * 10 + Int(bytes[1] - 48)
        let month = Int(bytes[2] - 48) * 10 + Int(bytes[3] - 48)
        guard (1...12).contains(month) else { return .invalidExpiry }
        let today = now.utcDate
        return (year, month) < (today.year, today.month) ? .expired : nil
    }
}

extension String {
    /// The string without leading and trailing spaces (no Foundation in the core).
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first...last])
    }
}
