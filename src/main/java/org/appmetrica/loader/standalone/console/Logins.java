package org.appmetrica.loader.standalone.console;

import org.appmetrica.loader.admin.AdminException;
import org.appmetrica.loader.admin.LoginThrottle;
import org.appmetrica.loader.admin.PasswordHash;
import org.appmetrica.loader.admin.UserStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * Who is logged in to the standalone console: sessions made by the login form (a cookie), and HTTP Basic credentials
 * of scripts, both checked against the users file ({@link UserStore}, PBKDF2) behind the {@link LoginThrottle}.
 */
final class Logins {

    static final String COOKIE = "appmetrica_console";
    private static final long SESSION_MILLIS = TimeUnit.HOURS.toMillis(12);
    private static final long BASIC_CACHE_MILLIS = TimeUnit.MINUTES.toMillis(5);

    /** The password check: the users file's, or a test's. */
    private final BiPredicate<String, char[]> check;
    private final SecureRandom random = new SecureRandom();
    private final LoginThrottle throttle = new LoginThrottle(Clock.systemUTC());
    /** Off loopback the session cookie is Secure: it then travels only over TLS (a proxy in front of the console). */
    private final boolean secureCookie;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** SHA-256 of Basic credentials checked recently: PBKDF2 is slow on purpose, scripts call often. */
    private final Map<String, Session> basicCache = new ConcurrentHashMap<>();

    private record Session(String user, long expires) {
    }

    Logins(UserStore users, boolean secureCookie) {
        this(users::check, secureCookie);
    }

    Logins(BiPredicate<String, char[]> check, boolean secureCookie) {
        this.check = check;
        this.secureCookie = secureCookie;
    }

    /** A new session for a user whose password matched: the Set-Cookie header that carries it. */
    String newSession(String user) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, new Session(user, System.currentTimeMillis() + SESSION_MILLIS));
        sessions.entrySet().removeIf(e -> e.getValue().expires() < System.currentTimeMillis());
        return COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + SESSION_MILLIS / 1000 + (secureCookie ? "; Secure" : "");
    }

    /** Ends the session (if any); the Set-Cookie header that clears the cookie. */
    String endSession(String token) {
        if (token != null) {
            sessions.remove(token);
        }
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
    }

    /** The user of a live session, or null. */
    String sessionUser(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        Session s = sessions.get(token);
        if (s == null || s.expires() < System.currentTimeMillis()) {
            sessions.remove(token);
            return null;
        }
        return s.user();
    }

    /** The user of valid HTTP Basic credentials (an Authorization header), or null. */
    String basicUser(String authorization, String from) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String key = sha256(authorization);
        Session cached = basicCache.get(key);
        if (cached != null && cached.expires() > System.currentTimeMillis()) {
            return cached.user();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        try {
            if (!passwordMatches(user, password, from)) {
                return null;
            }
        } finally {
            PasswordHash.wipe(password);
        }
        basicCache.entrySet().removeIf(e -> e.getValue().expires() < System.currentTimeMillis());
        basicCache.put(key, new Session(user, System.currentTimeMillis() + BASIC_CACHE_MILLIS));
        return user;
    }

    /**
     * The password check behind the throttle, which counts the attempt before any hashing: 429 (with Retry-After)
     * while the user or the address range must wait.
     */
    boolean passwordMatches(String user, char[] password, String from) {
        Optional<Duration> wait = throttle.attempt(user, from);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds() + (wait.get().toMillisPart() > 0 ? 1 : 0));
            throw new AdminException(429, "too-many-attempts", "too many failed logins for this user or from this address: try again in "
                    + seconds + " s").header("Retry-After", Long.toString(seconds));
        }
        try {
            if (!throttle.hashingSlot()) {
                throw new AdminException(429, "busy", "too many logins at once: try again in a second").header("Retry-After", "1");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException(503, "unavailable", "the console is stopping");
        }
        boolean ok;
        try {
            ok = check.test(user, password);
        } finally {
            throttle.releaseHashingSlot();
        }
        if (ok) {
            throttle.succeeded(user, from);
        } else {
            throttle.failed(user, from);
        }
        return ok;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
