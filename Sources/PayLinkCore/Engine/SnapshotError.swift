import PayLinkJSON

/// Why a state snapshot cannot be restored, naming the field by its path in the state JSON
/// (`links[3].payment_link_id`), so the same message serves the core and the control API.
public typealias SnapshotError = FieldProblem
