import PayLinkCore
import PayLinkSupport

/// The card fields of a payment form (a link's page or the hosted checkout), checked against
/// what the payment offers: the scheme picked (if any) must be offered and match the number.
enum CardSubmission {
    /// The checked card, or nil with the reasons in `problems` (which may hold earlier ones:
    /// any problem at all means no card).
    static func check(_ form: FormBody, option: String?, offer: PaymentForm.Offer, now: SandboxInstant,
                      problems: inout PaymentForm.Problems) -> CardEntry.Checked? {
        if option == nil && offer.cards.isEmpty { problems.fields["payment_option"] = .chooseMethod }
        if option != nil && CardBrand(rawValue: option ?? "") == nil { return nil }
        let entry = CardEntry(number: form["card_number"], expiryDate: form["expiry_date"],
                              securityCode: form["card_security_code"], holderName: form["card_holder_name"])
        // A payment offering one card scheme runs every card under it (a mada card as Visa).
        let scheme = option.flatMap(CardBrand.init(rawValue:)) ?? (offer.cards.count == 1 && offer.wallets.isEmpty ? offer.cards[0] : nil)
        var card: CardEntry.Checked?
        do { card = try entry.check(option: scheme, at: now) } catch {
            for problem in error.problems where problems.fields[problem.field] == nil {
                problems.fields[problem.field] = .card(problem.kind)
            }
            card = nil
        }
        // A card whose scheme the payment does not take (a mada card on an AUTHORIZATION).
        if let paidAs = card?.details.paymentOption, !offer.offers(paidAs), problems.fields["card_number"] == nil {
            problems.fields["card_number"] = .card(.unknownScheme)
        }
        guard problems.isEmpty else { return nil }
        return card
    }
}
