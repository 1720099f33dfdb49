package org.appmetrica.loader.admin;

import org.appmetrica.loader.config.SecretRef;
import org.appmetrica.loader.logsapi.ApplicationsList;
import org.appmetrica.loader.model.LoadParameters;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Tokens pasted into the page (stored as files, answered as references only) and the applications a token can read,
 * from the Logs API's management endpoint. Both references are held to the allow-lists before a secret is read.
 */
public final class Applications {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** The answer to a stored token: its reference, never the token. */
    public record TokenRef(String tokenRef) {
    }

    private final AccessPolicy policy;
    private final TokenFiles tokenFiles;

    /** @param tokenFiles where pasted tokens are stored (the standalone console), or null: storing is not offered */
    public Applications(AccessPolicy policy, TokenFiles tokenFiles) {
        this.policy = policy;
        this.tokenFiles = tokenFiles;
    }

    /** Stores a pasted token and answers only its reference, which the allow-lists accept (see AccessPolicy). */
    public TokenRef storeToken(String name, String token) {
        if (tokenFiles == null) {
            throw new AdminException(501, "not-available", "tokens are not stored from the page here: put the token in the "
                    + "server's credential store (configure.sh, alias appmetrica-token) and use tokenRef=cs:appmetrica/appmetrica-token");
        }
        return new TokenRef(tokenFiles.store(name, token));
    }

    /** Forgets a token stored from the page (the last connection that used it is gone); other references stay. */
    void forget(String tokenRef) {
        if (tokenFiles != null) {
            tokenFiles.forget(tokenRef);
        }
    }

    /** The applications the token can read, from the management API. */
    public List<ApplicationsList.Application> applications(String tokenRef, String apiUrl) {
        if (tokenRef == null || tokenRef.isBlank() || apiUrl == null || apiUrl.isBlank()) {
            throw AdminException.badRequest("tokenRef and apiUrl are both required");
        }
        policy.checkApiUrl(apiUrl);
        policy.checkSecret(LoadParameters.TOKEN_REF, tokenRef); // before the secret is read
        String token;
        try {
            token = SecretRef.resolve(LoadParameters.TOKEN_REF, tokenRef, true);
        } catch (IllegalArgumentException e) {
            throw AdminException.badRequest(SecretMask.text(e.getMessage()));
        }
        try {
            return ApplicationsList.fetch(apiUrl, token, TIMEOUT);
        } catch (ApplicationsList.Refused e) {
            int status = e.status() == 401 || e.status() == 403 ? 400 : 502;
            throw new AdminException(status, status == 400 ? "bad-request" : "bad-gateway", "tokenRef: " + SecretMask.text(e.getMessage()));
        } catch (IOException e) {
            throw new AdminException(502, "bad-gateway", SecretMask.text(e.getMessage()));
        }
    }
}
