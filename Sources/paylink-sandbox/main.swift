import PayLinkCLI

#if canImport(Glibc)
import Glibc
#endif

// Thin on purpose: everything lives in the library, where tests can reach it.
exit(CommandLineTool.main(CommandLine.arguments))
