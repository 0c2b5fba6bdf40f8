import PayLinkJSON

/// A configuration the sandbox refuses to start with, naming the key at fault
/// (`merchants[0].sha_type: …`): a `FieldProblem` in the file.
public typealias ConfigurationError = FieldProblem
