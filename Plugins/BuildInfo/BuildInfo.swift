import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` for the beacon executable before each build: the commit it is
/// built from (`git rev-parse`, "+" when the tree has changes), or "unknown" outside a git
/// checkout. The file is rewritten only when the commit changed, so a build that changed
/// nothing compiles nothing.
@main
struct BuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let out = context.pluginWorkDirectoryURL.appendingPathComponent("Generated")
        let script = """
        set -u
        commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
        if [ "$commit" != unknown ] && ! git -C "$1" diff --quiet HEAD -- Sources Package.swift 2>/dev/null; then commit="$commit+"; fi
        mkdir -p "$2"
        printf 'let beaconCommit = "%s"\\n' "$commit" > "$2/BuildInfo.swift.new"
        if cmp -s "$2/BuildInfo.swift.new" "$2/BuildInfo.swift"; then rm -f "$2/BuildInfo.swift.new"; else mv "$2/BuildInfo.swift.new" "$2/BuildInfo.swift"; fi
        """
        return [.prebuildCommand(displayName: "Beacon build info (commit)",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "sh", context.package.directoryURL.path, out.path],
                                 outputFilesDirectory: out)]
    }
}
