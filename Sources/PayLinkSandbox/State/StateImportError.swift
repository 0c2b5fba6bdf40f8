import PayLinkJSON

/// Why `PUT /__sandbox/state` refused a snapshot: the JSON path of the bad field and what is
/// wrong with it (`links[3].amount: expected an integer`). Nothing was changed.
public typealias StateImportError = FieldProblem
