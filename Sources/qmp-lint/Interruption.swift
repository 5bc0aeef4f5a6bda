import Dispatch
import QMPLint

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT (Ctrl-C) and SIGTERM during a lint run: the first asks the run to stop - every input
/// ends where it is read to, and the report of what was read is written as usual, with the exit
/// status that content calls for; a second one ends the process at once (128 + the signal).
///
/// The signals are taken from the kernel's default action and delivered to a dispatch queue, so
/// no code runs in a signal handler; the library sees the request through `stop` (its reads of
/// inputs that may stay open wait in short polls).
enum Interruption {
    static let stop = StopFlag()
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if stop.isRequested { _exit(128 + sig) }
                stop.request()
            }
            source.resume()
            sources.append(source)
        }
    }
}
