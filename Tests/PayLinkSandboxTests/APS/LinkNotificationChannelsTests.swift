import PayLinkCore
import Testing
@testable import PayLinkAPS

/// A link's e-mail and SMS channels: the four normalized `notification_type` values are
/// compared rather than split, and must give what splitting gives, as any other value does.
struct LinkNotificationChannelsTests {
    static func split(_ notificationType: String) -> [OutboxMessage.Channel] {
        notificationType.split(separator: ",").compactMap { OutboxMessage.Channel(rawValue: String($0)) }
    }

    @Test(arguments: ["NONE", "EMAIL", "SMS", "EMAIL,SMS", "SMS,EMAIL", "EMAIL,NONE", "", "email", "EMAIL,,SMS", ",SMS,", "FAX", "SMS,SMS"])
    func channels_areWhatSplittingTheTypeGives(notificationType: String) {
        #expect(LinkNotifications.channels(notificationType) == Self.split(notificationType))
    }
}
