package extension Character {
    /// 0 to 9 only: `isNumber` alone also takes Arabic-Indic digits and fractions.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
