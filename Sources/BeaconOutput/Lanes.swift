import Foundation

/// Work on every core over items kept in folder order (lessons by series), so that two
/// workers seldom make files in one folder at one time.
///
/// A folder's lock lets one `mkdir` or `link` into it through at a time; the other waits,
/// spinning. `DispatchQueue.concurrentPerform` over the items hands out neighbouring items,
/// so both cores always made files in the same series folder: a clean 10,000-lesson build
/// spent 7 % of its time spinning on that lock. Here each worker takes its own contiguous
/// lane, a chunk at a time from the front; a worker whose lane is done takes chunks from
/// the back of the lane with the most left, as far as can be from where its owner works.
public enum Lanes {
    /// Runs `body(i)` once for every `i` in `0..<count`, on `workers` threads. `body` is
    /// made once per worker by `worker(w)`, for state a thread keeps to itself (a painter,
    /// a renderer).
    public static func perWorker(count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount, chunk: Int = 16,
                                 _ worker: (Int) -> (Int) -> Void) {
        guard count > 0 else { return }
        let n = max(1, min(workers, count))
        if n == 1 {
            let body = worker(0)
            for i in 0..<count { body(i) }
            return
        }
        let lanes = LaneState(count: count, lanes: n, chunk: max(1, chunk))
        DispatchQueue.concurrentPerform(iterations: n) { w in
            let body = worker(w)
            while let range = lanes.next(for: w) {
                for i in range { body(i) }
            }
        }
    }

    /// `perWorker` with no state of its own per worker.
    public static func run(count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount, chunk: Int = 16,
                           _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { b in perWorker(count: count, workers: workers, chunk: chunk) { _ in b } }
    }
}

/// The unclaimed part of each lane, `front..<back`, under one lock (taken once a chunk).
final class LaneState: @unchecked Sendable {
    private var front: [Int]
    private var back: [Int]
    private let chunk: Int
    private let lock = NSLock()

    init(count: Int, lanes: Int, chunk: Int) {
        front = (0..<lanes).map { $0 * count / lanes }
        back = (0..<lanes).map { ($0 + 1) * count / lanes }
        self.chunk = chunk
    }

    /// The next chunk for worker `w`: from the front of its own lane, else from the back of
    /// the fullest lane; nil when every item is taken.
    func next(for w: Int) -> Range<Int>? {
        lock.lock(); defer { lock.unlock() }
        if front[w] < back[w] {
            let end = min(back[w], front[w] + chunk)
            defer { front[w] = end }
            return front[w]..<end
        }
        var fullest = -1, most = 0
        for l in front.indices where back[l] - front[l] > most { fullest = l; most = back[l] - front[l] }
        guard fullest >= 0 else { return nil }
        let start = max(front[fullest], back[fullest] - chunk)
        defer { back[fullest] = start }
        return start..<back[fullest]
    }
}
