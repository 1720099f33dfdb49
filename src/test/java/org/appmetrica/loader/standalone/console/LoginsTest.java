package org.appmetrica.loader.standalone.console;

import org.appmetrica.loader.admin.AdminException;
import org.appmetrica.loader.admin.LoginThrottle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginsTest {

    private static final int PARALLEL = 60;

    /**
     * 60 logins for one user at once: the first password check holds until the others have been answered (or 1 s
     * passed), as a slow hash would; still no more than 5 passwords are checked.
     */
    @Test
    void sixtyParallelLoginsGetFivePasswordChecks() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        CountDownLatch othersAnswered = new CountDownLatch(PARALLEL - LoginThrottle.FREE_FAILURES);
        Logins logins = new Logins((user, password) -> {
            if (checks.incrementAndGet() == 1) {
                try {
                    othersAnswered.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return false;
        }, false);
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            String from = "127.0.2." + i;
            answers.add(pool.submit(() -> {
                start.await();
                try {
                    return logins.passwordMatches("admin", "guess".toCharArray(), from) ? 200 : 401;
                } catch (AdminException e) {
                    return e.status();
                } finally {
                    othersAnswered.countDown();
                }
            }));
        }
        start.countDown();
        int refused = 0;
        for (Future<Integer> a : answers) {
            int status = a.get(30, TimeUnit.SECONDS);
            assertTrue(status == 401 || status == 429, "status " + status);
            refused += status == 429 ? 1 : 0;
        }
        pool.shutdown();
        assertTrue(checks.get() <= LoginThrottle.FREE_FAILURES, checks.get() + " passwords were checked");
        assertTrue(refused >= PARALLEL - LoginThrottle.FREE_FAILURES, refused + " refused");
    }
}
