/// Which of APS's two feedback channels a message belongs to, and where a merchant gets it.
extension Merchant {
    /// The URL a message of `channel` is posted to: Direct Transaction Feedback goes to
    /// `directFeedbackURL`, else to `notificationURL` (a merchant with one URL gets everything
    /// there); Notification Feedback goes to `notificationURL` only, so a merchant with only a
    /// direct feedback URL hears of later changes through `CHECK_STATUS`, as APS's back office
    /// sends nothing to a channel that has no URL.
    public func feedbackURL(for channel: FeedbackChannel) -> String? {
        switch channel {
        case .direct: directFeedbackURL ?? notificationURL
        case .notification: notificationURL
        }
    }

    /// How both channels post: JSON, or form-encoded when the merchant asks for it.
    public var feedbackFormat: NotificationFormat { notificationsFormEncoded ? .form : .json }
}
