#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives the pages the C allocator holds free back to the system. An import or a recovery reads
/// a whole snapshot (a million links are over half a gigabyte of JSON, and its tree several
/// times that) and frees it once the state is built; glibc keeps most of those pages for
/// reuse, so without this the sandbox would go on holding the import's peak as resident memory.
///
/// glibc's `malloc_trim` is declared in `<malloc.h>`, which the Glibc module does not export:
/// it is looked up by name, and where it is missing (another C library) nothing is done.
enum FreedMemory {
    static func release() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
