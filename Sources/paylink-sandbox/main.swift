import PayLinkCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin on purpose: everything lives in the library, where tests can reach it. The environment
// is read here and only here, and handed in, so tests can give any environment they like.
let environment = Dictionary(uniqueKeysWithValues: CommandLineTool.environmentNames.compactMap { name in
    getenv(name).map { (name, String(cString: $0)) }
})
exit(CommandLineTool.main(CommandLine.arguments, environment: environment))
