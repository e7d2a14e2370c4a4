package io.teamsconnector.web;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** The entry point of every deployable: Quarkus, with the function's classes loaded beside its boot ({@link ClassPreload}). */
@QuarkusMain
public final class FunctionMain {

    private FunctionMain() {
    }

    public static void main(String... args) {
        ClassPreload.start(Thread.currentThread().getContextClassLoader());
        Quarkus.run(args);
    }
}
