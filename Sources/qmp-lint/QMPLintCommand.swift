import ArgumentParser
import QMPLint

@main
struct QMPLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qmp-lint",
        abstract: "Find every QMP event in QEMU/libvirt logs and transcripts, and check it against QEMU's schema.",
        discussion: """
        Examples:
          qmp-lint /var/log/libvirt/libvirtd.log          findings and a summary, for people
          qmp-lint --format sarif -o qmp.sarif logs/      for GitHub code scanning
          qmp-lint --qemu-version 8.2 capture.txt         check against QEMU 8.2's events
          virsh qemu-monitor-event --loop | qmp-lint -    read standard input

        Exit status: 0 no errors, 1 error-level findings (or warnings with --strict),
        2 an input could not be read (the others are still checked), 64 usage error.
        """,
        version: QMPLintVersion.current,
        subcommands: [LintCommand.self, RulesCommand.self, SchemaCommand.self, CompatCommand.self, MergeCommand.self, ConfigCommand.self],
        defaultSubcommand: LintCommand.self)
}
