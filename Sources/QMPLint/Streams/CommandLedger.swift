/// The commands of one QEMU session that wait for their reply, for stream rules that follow
/// commands (each keeps its own ledger, with what it needs to know of a command as `Info`).
///
/// Replies are matched the way QEMU answers: a reply carries the `id` of its command (QEMU copies
/// it into errors too), in-band commands are answered in the order they were sent, and an error
/// without `id` while every waiting command has one answers input QEMU could not read as a
/// command (bad JSON, not an object), which is no command to qmp-lint. A log that drops ids on
/// one side is matched by order.
struct CommandLedger<Info: Sendable>: Sendable {
    struct Entry: Sendable {
        var name: String
        /// The command's `id` as written (`StreamMessage.id`).
        var id: String?
        var outOfBand: Bool
        /// Its place among the session's commands (0, 1, ...).
        var order: Int
        var info: Info
        /// The `id` for finding texts: ` (id "libvirt-12")`, or "" without one.
        var idText: String { id.map { " (id \($0))" } ?? "" }
    }

    /// What a reply answers.
    enum Answer: Sendable {
        case command(Entry)
        /// An error without `id` while every waiting command has one: QEMU's answer to input it
        /// could not read as a command.
        case unreadInput
        /// No command of the session waits for it.
        case nothing
    }

    /// Commands waiting for their reply, oldest first.
    private(set) var waiting: [Entry] = []
    /// Commands seen in the session (also those that carried their reply).
    private(set) var sent = 0
    /// The most commands kept waiting: a log that shows commands but not their replies must not
    /// grow a rule's state without end (the oldest are forgotten).
    static var limit: Int { 1024 }

    /// A command was sent; it waits for its reply unless it carries it (qmp-shell -l).
    @discardableResult
    mutating func send(_ m: StreamMessage, _ info: Info) -> Entry {
        let e = Entry(name: m.name, id: m.id, outOfBand: m.outOfBand, order: sent, info: info)
        sent += 1
        if m.answers == nil {
            if waiting.count >= Self.limit { waiting.removeFirst() }
            waiting.append(e)
        }
        return e
    }

    /// The waiting command a reply answers, no longer waiting.
    mutating func answer(_ m: StreamMessage) -> Answer {
        if let id = m.id, let k = waiting.firstIndex(where: { $0.id == id }) {
            return .command(waiting.remove(at: k))
        }
        if let k = waiting.firstIndex(where: { $0.id == nil }) { return .command(waiting.remove(at: k)) }
        guard !waiting.isEmpty else { return .nothing }
        // Every waiting command has an id, and none is the reply's.
        if m.id == nil { return m.isError ? .unreadInput : .command(waiting.removeFirst()) }
        return .nothing
    }

    /// The waiting command with this `id`, if any.
    func waiting(id: String) -> Entry? { waiting.first { $0.id == id } }

    /// Changes what is kept of every waiting command.
    mutating func update(_ change: (inout Entry) -> Void) {
        for i in waiting.indices { change(&waiting[i]) }
    }

    /// Stops waiting for the commands `drop` selects, and returns them (oldest first).
    mutating func remove(where drop: (Entry) -> Bool) -> [Entry] {
        let gone = waiting.filter(drop)
        if !gone.isEmpty { waiting.removeAll(where: drop) }
        return gone
    }
}

extension StreamMessage {
    /// A command that QEMU's reply came with in the same object (qmp-shell -l): it was answered.
    var carriesReply: Bool { kind == .command && answers != nil }
}

/// How a reply pairs with the commands a rule keeps when the rule sees only some commands
/// (`StreamInterest.names`) and relies on the reducer's pairing (`StreamMessage.answers`).
enum ReplyPairing: Equatable {
    /// It answers the kept command at this index.
    case answers(Int)
    /// The reducer paired it, without an `id`, with the kept command at this index, but a newer
    /// kept command waits too: that command's reply was lost or the pairing is ambiguous, so it is
    /// dropped unjudged.
    case stale(Int)
    /// It answers none of them.
    case none

    /// Pairs reply `m` with `kept` (oldest first), each given by its command name and `id`: by id
    /// when the reply has one; without, only the newest kept command, and only when the reducer
    /// paired the reply with a command of that name.
    static func of(_ m: StreamMessage, in kept: [(name: String, id: String?)]) -> ReplyPairing {
        guard let answered = m.answers else { return .none }
        if let id = m.id { return kept.firstIndex { $0.id == id }.map(ReplyPairing.answers) ?? .none }
        guard let k = kept.firstIndex(where: { $0.name == answered && $0.id == nil }) else { return .none }
        return k == kept.count - 1 ? .answers(k) : .stale(k)
    }
}
