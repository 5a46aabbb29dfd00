package dev.deltawatch.worker.runtime;

import dev.deltawatch.worker.check.PassGate;

/**
 * The gate of a pass over every record that a function's redefinition asked for, which any pass asked for since
 * makes worthless: a bad merge deployed, its pass waiting or reading, and the previous merge back a second later.
 * The pass's verdict would mix two definitions (never remembered, never a reason to skip) and the later pass reads
 * every record again, or those changed since a clean pass, so the rest of this one is a core of the database for
 * nothing. Once {@link #supersede superseded}, the next read throws {@link PassGate.Superseded}. Thread-safe.
 */
final class SupersedablePass implements PassGate {
    private final PassGate delegate;
    private volatile boolean superseded;
    /** A read that threw never entered the delegate: its matching {@link #afterRead()} must not leave it. */
    private final ThreadLocal<Boolean> refused = ThreadLocal.withInitial(() -> false);

    SupersedablePass(PassGate delegate) {
        this.delegate = delegate;
    }

    void supersede() {
        superseded = true;
    }

    boolean superseded() {
        return superseded;
    }

    @Override
    public void beforeRead() {
        if (!superseded) {
            delegate.beforeRead(); // may wait a while for slow work: the later pass may come meanwhile
            if (!superseded) {
                return;
            }
            delegate.afterRead();
        }
        refused.set(true);
        throw new Superseded("a later pass over every record supersedes this one");
    }

    @Override
    public void afterRead() {
        if (refused.get()) {
            refused.set(false);
            return;
        }
        delegate.afterRead();
    }
}
