import Foundation
import WorthEngine
import WorthTUI

// `worth` alone or `worth FILE` opens the terminal workbench; subcommands are parsed below.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || (arguments.count == 1 && FileManager.default.fileExists(atPath: arguments[0])) {
    exit(runWorkbench(path: arguments.first, options: WorkbenchOptions()))
}
print("worth")
