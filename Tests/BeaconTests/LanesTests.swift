import Foundation
import XCTest
@testable import BeaconOutput

/// `Lanes`: every item once, each worker starting on its own contiguous lane (so that two
/// cores make files in different series folders), and no item lost when lanes run dry at
/// different times.
final class LanesTests: XCTestCase {
    func testEveryItemRunsOnceAndEachWorkerStartsOnItsOwnLane() {
        for (count, workers, chunk) in [(0, 2, 16), (1, 2, 16), (2, 2, 1), (7, 3, 2), (1000, 2, 16), (1001, 4, 7), (50, 8, 100)] {
            let lock = NSLock()
            var seen = [Int](repeating: 0, count: count)
            var first: [Int: Int] = [:]
            Lanes.perWorker(count: count, workers: workers, chunk: chunk) { w in
                var started = false
                return { i in
                    lock.lock()
                    seen[i] += 1
                    if !started { first[w] = i; started = true }
                    lock.unlock()
                }
            }
            XCTAssertEqual(seen, [Int](repeating: 1, count: count), "\(count) items on \(workers) workers, chunks of \(chunk)")
            let n = max(1, min(workers, count))
            for (w, i) in first where n > 1 {
                // A worker begins at the front of its lane, or (its lane taken while it
                // started) somewhere another lane still had items.
                if i != w * count / n {
                    XCTAssertFalse((w * count / n..<(w + 1) * count / n).contains(i), "worker \(w) began inside its own lane at \(i)")
                }
            }
        }
    }

    /// The chunks in a fixed order of asking: lanes are contiguous halves, each worker
    /// starts at the front of its own, and a worker with nothing left takes from the back of
    /// the fullest lane (far from where that lane's worker is), until nothing is left.
    func testTheOrderOfChunks() {
        let lanes = LaneState(count: 100, lanes: 2, chunk: 16)
        XCTAssertEqual(lanes.next(for: 0), 0..<16)
        XCTAssertEqual(lanes.next(for: 1), 50..<66)
        XCTAssertEqual(lanes.next(for: 0), 16..<32)
        XCTAssertEqual(lanes.next(for: 0), 32..<48)
        XCTAssertEqual(lanes.next(for: 0), 48..<50)
        // Lane 0 done; lane 1 holds 66..<100: worker 0 takes its back.
        XCTAssertEqual(lanes.next(for: 0), 84..<100)
        XCTAssertEqual(lanes.next(for: 1), 66..<82)
        XCTAssertEqual(lanes.next(for: 1), 82..<84)
        XCTAssertNil(lanes.next(for: 1))
        XCTAssertNil(lanes.next(for: 0))
        // Three lanes of 7 items: 0..<2, 2..<4, 4..<7.
        let three = LaneState(count: 7, lanes: 3, chunk: 2)
        XCTAssertEqual(three.next(for: 2), 4..<6)
        XCTAssertEqual(three.next(for: 2), 6..<7)
        XCTAssertEqual(three.next(for: 2), 0..<2)   // the fullest lane (ties: the first), from its back
        XCTAssertEqual(three.next(for: 1), 2..<4)
        XCTAssertNil(three.next(for: 0))
    }

    /// A worker whose lane is done takes from the back of another: item 0 waits until the
    /// other worker has taken the last item of lane 0, which it can only reach from the back.
    /// (Skipped when the machine never runs the two workers side by side.)
    func testAWorkerWhoseLaneIsDoneTakesFromTheBackOfAnother() throws {
        let count = 64
        let lock = NSLock()
        var order: [(worker: Int, item: Int)] = []
        let lastOfLaneZeroTaken = DispatchSemaphore(value: 0)
        var waited = DispatchTimeoutResult.success
        Lanes.perWorker(count: count, workers: 2, chunk: 4) { w in
            return { i in
                if i == 0 { waited = lastOfLaneZeroTaken.wait(timeout: .now() + 20) }
                lock.lock(); order.append((w, i)); lock.unlock()
                if i == 31 { lastOfLaneZeroTaken.signal() }
            }
        }
        XCTAssertEqual(order.count, count)
        XCTAssertEqual(Set(order.map(\.item)), Set(0..<count))
        let owner = order.first { $0.item == 0 }!.worker
        let thief = order.first { $0.item == 31 }!.worker
        // One worker ran everything (the other never started in time): nothing to see.
        if waited == .timedOut || owner == thief { throw XCTSkip("the two workers did not run side by side") }
        // The thief's first item of lane 0 is from its last chunk, 28..<32.
        let firstTaken = order.first { $0.worker == thief && $0.item < 32 }!.item
        XCTAssertEqual(firstTaken, 28, "\(order)")
    }

    /// Workers and chunk sizes below one are taken as one.
    func testNoWorkersOrAnEmptyChunkStillRunsEverything() {
        for (workers, chunk) in [(0, 0), (-3, 5), (2, 0), (2, -1)] {
            var seen = [Int](repeating: 0, count: 9)
            let lock = NSLock()
            Lanes.run(count: 9, workers: workers, chunk: chunk) { i in lock.lock(); seen[i] += 1; lock.unlock() }
            XCTAssertEqual(seen, [Int](repeating: 1, count: 9), "workers \(workers), chunk \(chunk)")
        }
    }
}
