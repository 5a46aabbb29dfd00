package dev.deltawatch.worker.runtime;

/**
 * A check could not run because the target database does not answer (restarting, unreachable). It is not the
 * check's verdict, so it is neither published as a run nor committed: the validate loop reads the change again
 * once the database is back.
 */
public final class TargetUnavailableException extends Exception {
    public TargetUnavailableException(String target, String check, String cause) {
        super("target '" + target + "' does not answer; " + check + " will run again once it does (" + cause + ")");
    }
}
