import PayLinkCore

/// Tamara and Tabby on the hosted checkout's page: offered beside the cards when the request
/// names no option, has no saved card, asks for no installments, is a PURCHASE (both capture at
/// once), carries their fields (`phone_number`, `order_description`), and the option rules and
/// the merchant allow them. Choosing one sends the customer to its simulated checkout (`BNPLCheckout`).
extension HostedCheckout {
    func bnplOptions(_ request: HostedCheckoutRequest, allows: (String) -> Bool) -> [String] {
        guard request.paymentOption == nil, request.token == nil, request.installments == nil, request.terms.command == .purchase,
              BNPLProvider.requiredFields.allSatisfy({ request.terms.requestFields[$0] != nil }) else { return [] }
        return BNPLProvider.allCases.map(\.paymentOption).filter(allows)
    }
}
