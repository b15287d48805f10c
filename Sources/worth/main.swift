import Foundation
import WorthCLI

exit(await runCommand(Array(CommandLine.arguments.dropFirst())))
