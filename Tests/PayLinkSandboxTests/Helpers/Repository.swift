import Foundation

/// The repository's files, found from this source file's place whatever folder a test is in.
enum Repository {
    /// The folder holding Package.swift.
    static let root: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) && folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    static func file(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }
}
