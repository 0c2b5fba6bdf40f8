import PayLinkCore

/// A request paid in instalments: `numberOfInstalments` payments of `instalmentAmount`, the
/// last one taking what remains of the total, due every `frequency` from `firstPaymentDate`.
/// Each instalment is its own core link, opened when the one before is paid.
package struct RepaymentPlan: Sendable, Equatable {
    package enum Frequency: String, Sendable, CaseIterable {
        case weekly = "Weekly", fortnightly = "Fortnightly", monthly = "Monthly"

        package init?(name: String) {
            guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
            self = match
        }
    }

    package var instalmentAmount: Int64
    package var frequency: Frequency
    package var numberOfInstalments: Int
    /// Midnight UTC of the first due date.
    package var firstPaymentDate: SandboxInstant

    /// The amount of instalment `number` (1-based) of a plan for `total` pence.
    package func amount(ofInstalment number: Int, total: Int64) -> Int64 {
        number < numberOfInstalments ? instalmentAmount : total - instalmentAmount * Int64(numberOfInstalments - 1)
    }

    /// Midnight UTC of the day instalment `number` (1-based) is due. Monthly plans keep the
    /// day of the month, moved back to the month's last day where it has fewer days.
    package func dueDate(ofInstalment number: Int) -> SandboxInstant {
        let steps = Int64(number - 1)
        switch frequency {
        case .weekly: return firstPaymentDate.adding(seconds: steps * 7 * 86_400)
        case .fortnightly: return firstPaymentDate.adding(seconds: steps * 14 * 86_400)
        case .monthly:
            // Calendar arithmetic through the ISO text keeps to the core's public date API.
            let text = isoDate(firstPaymentDate)
            guard let year = Int(text.prefix(4)), let month = Int(text.dropFirst(5).prefix(2)), let day = Int(text.suffix(2)) else {
                return firstPaymentDate
            }
            let monthIndex = year * 12 + month - 1 + Int(steps)
            let targetYear = monthIndex / 12, targetMonth = monthIndex % 12 + 1
            let leap = targetYear % 4 == 0 && (targetYear % 100 != 0 || targetYear % 400 == 0)
            let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            let date = pad(targetYear, 4) + "-" + pad(targetMonth, 2) + "-" + pad(min(day, lengths[targetMonth - 1]), 2)
            return ISO8601.parseDate(date) ?? firstPaymentDate
        }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Whether instalments can add up to `total`: every one but the last is the instalment
    /// amount, and the last is more than nothing and no more than the others.
    package func fits(total: Int64) -> Bool {
        let before = instalmentAmount * Int64(numberOfInstalments - 1)
        return before < total && total <= instalmentAmount * Int64(numberOfInstalments)
    }

    package init(instalmentAmount: Int64, frequency: Frequency, numberOfInstalments: Int, firstPaymentDate: SandboxInstant) {
        self.instalmentAmount = instalmentAmount
        self.frequency = frequency
        self.numberOfInstalments = numberOfInstalments
        self.firstPaymentDate = firstPaymentDate
    }
}

/// `2026-04-01` for a midnight-UTC instant.
func isoDate(_ instant: SandboxInstant) -> String { String(ISO8601.formatUTC(instant).prefix(10)) }
