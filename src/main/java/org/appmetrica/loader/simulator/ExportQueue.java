package org.appmetrica.loader.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The asynchronous protocol of exports (docs/logs-api.md §4): each export identity is queued, answered 202 while it is
 * prepared, then ready; the per-application queue limit, {@code Cache-Control}, and the test gate that keeps chosen
 * exports queued ({@link LogsApiSimulator#holdExports}).
 */
final class ExportQueue {

    static final String TEXT_ADDED = "Your query is added to the queue.";
    static final String TEXT_MOVED =
            "Your query is moved to the end of the queue due to provided Cache-Control restriction.";
    static final String TEXT_QUEUE_FULL =
            "There are already 3 enqueued queries for given application_id. Wait until they are completed.";
    static final int MAX_ENQUEUED_PER_APP = 3;

    /** What the queue says about a request: an answer now (202, 429), or the preparation to download. */
    record Admission(Answer answer, Prepared prepared) {
    }

    private final int readyAfter;
    private final Supplier<SimulatedData> data;
    private final Consumer<Prepared> prerender;
    private final Map<String, Job> jobs = new HashMap<>();
    private Predicate<ExportQuery> hold;
    private final List<RecordedRequest> heldRequests = new ArrayList<>();

    ExportQueue(int readyAfter, Supplier<SimulatedData> data, Consumer<Prepared> prerender) {
        this.readyAfter = readyAfter;
        this.data = data;
        this.prerender = prerender;
    }

    synchronized Admission admit(ExportQuery q, RequestHeaders.CacheControl cc) {
        Job job = jobs.get(q.identity());
        if (hold != null && hold.test(q)) {
            return new Admission(held(q, job, cc), null);
        }
        if (job == null) {
            if (enqueued(q.applicationId()) >= MAX_ENQUEUED_PER_APP) {
                return answer(429, TEXT_QUEUE_FULL);
            }
            job = new Job(q.applicationId(), prepare(q));
            jobs.put(q.identity(), job);
            if (readyAfter > 0) {
                return queued(job, TEXT_ADDED);
            }
            job.markReady();
        } else if (!job.ready) {
            if (cc.noCache()) {
                job.restart(prepare(q));
                return queued(job, TEXT_MOVED);
            }
            if (job.polls < readyAfter) {
                int progress = job.polls * 100 / readyAfter;
                job.polls++;
                return answer(202, "Wait for result. Progress is " + progress + "%.");
            }
            job.markReady();
        } else if (cc.noCache() || cc.maxAgeSeconds() >= 0
                && System.nanoTime() - job.readyAtNanos > TimeUnit.SECONDS.toNanos(cc.maxAgeSeconds())) {
            if (enqueued(q.applicationId()) >= MAX_ENQUEUED_PER_APP) {
                return answer(429, TEXT_QUEUE_FULL);
            }
            job.restart(prepare(q));
            if (readyAfter > 0) {
                return queued(job, TEXT_ADDED);
            }
            job.markReady();
        }
        return new Admission(null, job.prepared);
    }

    /** The answer to a held export request: queued, without progress. */
    private Answer held(ExportQuery q, Job job, RequestHeaders.CacheControl cc) {
        if (job == null || cc.noCache()) {
            boolean queued = job != null && !job.ready;
            if (!queued && enqueued(q.applicationId()) >= MAX_ENQUEUED_PER_APP) {
                return Answer.text(429, TEXT_QUEUE_FULL);
            }
            if (job == null) {
                job = new Job(q.applicationId(), prepare(q));
                jobs.put(q.identity(), job);
            } else {
                job.restart(prepare(q));
            }
            job.polls = readyAfter > 0 ? 1 : 0;
            prerender.accept(job.prepared);
            return Answer.text(202, queued ? TEXT_MOVED : TEXT_ADDED).held();
        }
        int progress = job.ready || readyAfter == 0 ? 0 : job.polls * 100 / readyAfter;
        return Answer.text(202, "Wait for result. Progress is " + progress + "%.").held();
    }

    private Admission queued(Job job, String text) {
        job.polls = 1;
        prerender.accept(job.prepared);
        return answer(202, text);
    }

    private static Admission answer(int status, String text) {
        return new Admission(Answer.text(status, text), null);
    }

    private int enqueued(long app) {
        int n = 0;
        for (Job job : jobs.values()) {
            if (job.app == app && !job.ready) {
                n++;
            }
        }
        return n;
    }

    private Prepared prepare(ExportQuery q) {
        return new Prepared(data.get(), q);
    }

    synchronized void hold(Predicate<ExportQuery> which) {
        hold = Objects.requireNonNull(which);
        heldRequests.clear();
    }

    synchronized void release() {
        hold = null;
    }

    /** Records a request a hold answered (before the answer goes out) and wakes those waiting for one. */
    synchronized void recordHeld(RecordedRequest request) {
        heldRequests.add(request);
        notifyAll();
    }

    synchronized List<RecordedRequest> heldRequests() {
        return List.copyOf(heldRequests);
    }

    synchronized RecordedRequest awaitHeld(Duration timeout, Supplier<Integer> requestsSoFar)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (heldRequests.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no held export was requested within " + timeout.toSeconds() + " s; "
                        + requestsSoFar.get() + " requests so far" + (hold == null ? ", and nothing is held" : ""));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return heldRequests.get(0);
    }

    /** Cancels every preparation (the simulator closes). */
    synchronized void cancelAll() {
        for (Job job : jobs.values()) {
            job.prepared.cancelled = true;
        }
        jobs.clear();
    }

    /** One export identity and its queue state. */
    private static final class Job {
        final long app;
        Prepared prepared;
        boolean ready;
        int polls;
        long readyAtNanos;

        Job(long app, Prepared prepared) {
            this.app = app;
            this.prepared = prepared;
        }

        void markReady() {
            ready = true;
            readyAtNanos = System.nanoTime();
        }

        /** A new preparation: the old files are dropped, a download still streaming one keeps its open file. */
        void restart(Prepared next) {
            prepared.discard();
            prepared = next;
            ready = false;
            polls = 0;
        }
    }
}
