import Foundation

/// A value each thread has its own copy of, made on the thread's first use.
///
/// For read-only data that every worker reads many times a page (templates, the site's part
/// of every page's context): when two cores retain and release the same objects, each
/// reference count moves between their caches; a copy per thread keeps those counts on one
/// core. The copies live as long as this object; with `threadOwned`, as long as their thread
/// (for a scratch table that lives for the process while worker threads come and go).
public final class PerThread<T>: @unchecked Sendable {
    private var key = pthread_key_t()
    /// False when no key could be had: every use then makes its own value.
    private let hasKey: Bool
    private let threadOwned: Bool
    private let make: () -> T
    private let lock = NSLock()
    private var made: [Unmanaged<Box>] = []

    final class Box {
        let value: T
        init(_ value: T) { self.value = value }
    }

    public init(threadOwned: Bool = false, _ make: @escaping () -> T) {
        self.make = make
        self.threadOwned = threadOwned
        if threadOwned {
            hasKey = pthread_key_create(&key, { p in
                if let p { Unmanaged<AnyObject>.fromOpaque(p).release() }
            }) == 0
        } else {
            hasKey = pthread_key_create(&key, nil) == 0
        }
    }

    public var value: T {
        guard hasKey else { return make() }
        if let p = pthread_getspecific(key) { return Unmanaged<Box>.fromOpaque(p).takeUnretainedValue().value }
        let box = Unmanaged.passRetained(Box(make()))
        guard pthread_setspecific(key, box.toOpaque()) == 0 else {
            let value = box.takeRetainedValue().value
            return value
        }
        if !threadOwned { lock.lock(); made.append(box); lock.unlock() }
        return box.takeUnretainedValue().value
    }

    deinit {
        guard hasKey else { return }
        pthread_key_delete(key)
        for b in made { b.release() }
    }
}

extension String {
    /// The same text in storage of its own (not shared with `self`).
    public var ownCopy: String {
        String(decoding: Array(utf8), as: UTF8.self)
    }
}
