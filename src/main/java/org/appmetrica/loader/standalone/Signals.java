package org.appmetrica.loader.standalone;

import sun.misc.Signal;

import java.util.function.Consumer;

/** Ctrl-C and kill (SIGINT, SIGTERM) as a graceful stop instead of a JVM shutdown. */
final class Signals {

    private Signals() {
    }

    /** From now on INT and TERM call {@code stop} with the signal's name, on the JVM's signal thread. */
    static void onStop(Consumer<String> stop) {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> stop.accept(signal.getName()));
        }
    }
}
