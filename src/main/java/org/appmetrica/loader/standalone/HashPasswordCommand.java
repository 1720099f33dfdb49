package org.appmetrica.loader.standalone;

import org.appmetrica.loader.admin.PasswordHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code hash-password [--user NAME]}. */
@Command(name = "hash-password", description = "Print the hash of a password for the console's users file (reads the password "
        + "from the terminal, or one line from standard input): hash-password [--user NAME]")
final class HashPasswordCommand implements Callable<Integer> {
    @Option(names = "--user", description = "print a ready line NAME=<hash> for the users file")
    String user;

    @Override
    public Integer call() throws Exception {
        char[] password;
        var console = System.console();
        if (console != null) {
            password = console.readPassword("password: ");
            char[] again = console.readPassword("again: ");
            if (password == null || again == null || !Arrays.equals(password, again)) {
                System.err.println("error: the passwords differ");
                return ExitCodes.USAGE;
            }
            Arrays.fill(again, '\0');
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            System.err.println("error: no password given");
            return ExitCodes.USAGE;
        }
        String hash = PasswordHash.hash(password);
        Arrays.fill(password, '\0');
        System.out.println(user == null ? hash : user + "=" + hash);
        return ExitCodes.COMPLETED;
    }
}
