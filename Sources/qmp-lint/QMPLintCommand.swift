import ArgumentParser
import Foundation
import QMPLint

@main
struct QMPLintCommand: ParsableCommand {
    static let abstract =
        "Find every QMP event in QEMU/libvirt logs and transcripts, and check it against QEMU's schema."
    static let discussion = """
        Examples:
          qmp-lint /var/log/libvirt/libvirtd.log        findings and a summary
          qmp-lint --format sarif -o qmp.sarif logs/    for GitHub code scanning
          qmp-lint --qemu-version 8.2 capture.txt       against QEMU 8.2's events
          virsh qemu-monitor-event --loop | qmp-lint -  read standard input
          qmp-lint rules missing-member                 what a rule checks, and why

        Exit status: 0 no finding fails the run; 1 findings at or above --fail-on
        (default: errors); 2 an input could not be read (the others are still
        checked); 64 usage error; 74 a report could not be written.
        """

    static let configuration = CommandConfiguration(
        commandName: "qmp-lint",
        abstract: abstract,
        discussion: discussion,
        version: QMPLintVersion.current,
        subcommands: subcommands,
        defaultSubcommand: LintCommand.self)

    static let subcommands: [ParsableCommand.Type] = [
        LintCommand.self, RulesCommand.self, SchemaCommand.self, CompatCommand.self, MergeCommand.self,
        ConfigCommand.self,
    ]

    /// `qmp-lint --help` and the completion scripts describe the default command's options at
    /// the top level (`DefaultCommandHelp`); everything else is parsed as usual.
    static func main() {
        Terminal.prepare()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if ["--help", "-h", "help"].contains(arguments.first ?? "") && arguments.count == 1 {
            exitShowing(DefaultCommandHelp.helpMessage(columns: nil))
        }
        if arguments.first == "--generate-completion-script" {
            guard arguments.count == 2, let shell = CompletionShell(rawValue: arguments[1]) else {
                Terminal.error("--generate-completion-script takes one of: bash, zsh, fish")
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exitShowing(DefaultCommandHelp.completionScript(for: shell))
        }
        main(arguments)
    }

    static func exitShowing(_ text: String) -> Never {
        do { try Terminal.show(text.hasSuffix("\n") ? text : text + "\n") } catch {
            Foundation.exit(ExitStatus.outputError.rawValue)
        }
        Foundation.exit(0)
    }
}

/// The command line as `qmp-lint --help` and shell completion describe it: the lint options at
/// the top level (lint is the default command) beside the subcommands. Never parsed or run.
struct DefaultCommandHelp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qmp-lint",
        abstract: QMPLintCommand.abstract,
        usage: """
            qmp-lint [<options>] [<paths> ...]
            qmp-lint <subcommand> [<options>]
            """,
        discussion: QMPLintCommand.discussion,
        version: QMPLintVersion.current,
        subcommands: QMPLintCommand.subcommands)

    @OptionGroup var options: LintOptions
}
