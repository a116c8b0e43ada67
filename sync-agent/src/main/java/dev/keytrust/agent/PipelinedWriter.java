package dev.keytrust.agent;

import com.unboundid.ldap.sdk.LDAPException;
import dev.keytrust.ErrorCode;
import dev.keytrust.KeyTrustException;
import dev.keytrust.agent.source.SourceUser;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A full sync's writer thread: users arrive from the Graph read (as the key source completes them) and are written
 * while the read goes on. It first waits for the AD users to be loaded. A failure on the writer stops the read at
 * the next user handed over, and is rethrown by {@link #finish()}.
 */
final class PipelinedWriter implements Consumer<SourceUser> {
    private static final SourceUser END = new SourceUser("", null, java.util.Optional.empty(), java.util.Optional.empty(),
            java.util.List.of(), java.util.Optional.empty());

    private final BlockingQueue<SourceUser> queue = new ArrayBlockingQueue<>(2_000);
    private final Thread thread;
    private volatile Throwable failure;

    PipelinedWriter(UserWriter writer, CompletableFuture<Integer> adLoaded) {
        this.thread = new Thread(() -> {
            try {
                adLoaded.join();
                for (SourceUser u = queue.take(); u != END; u = queue.take()) {
                    writer.process(u);
                }
            } catch (Throwable t) {
                failure = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
                queue.clear();
            }
        }, "keytrust-agent-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void accept(SourceUser user) {
        rethrowIfFailed();
        try {
            while (!queue.offer(user, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                rethrowIfFailed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyTrustException(ErrorCode.SCHEDULED_TASK_FAILED, "interrupted while handing users to the writer", e);
        }
    }

    /** Waits until every user handed over is written; rethrows a writer failure. */
    void finish() throws LDAPException {
        if (failure == null) {
            accept(END);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyTrustException(ErrorCode.SCHEDULED_TASK_FAILED, "interrupted while waiting for the writer", e);
        }
        rethrowIfFailed();
    }

    /** Stops the writer after a failed read, dropping what is queued. */
    void abandon() {
        queue.clear();
        queue.offer(END);
    }

    private void rethrowIfFailed() {
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof LDAPException l) {
            throw new WriterFailure(l);
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** Carries an LDAP failure of the writer thread across {@link Consumer#accept}. */
    static final class WriterFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WriterFailure(LDAPException cause) {
            super(cause.getMessage(), cause);
        }

        LDAPException ldap() {
            return (LDAPException) getCause();
        }
    }
}
