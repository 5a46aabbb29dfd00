package dev.deltawatch.worker.discover;

/** How sure discovery is of a choice; every comment in the written config says which. */
enum Certainty {
    /** The catalog states it (a foreign key, a unique constraint, a column type). */
    CERTAIN("certain"),
    /** Several signals agree (names, nullability, what a function body does). */
    LIKELY("likely"),
    /** One weak signal, or none: a default the team must confirm. */
    GUESS("a guess, confirm it");

    private final String word;

    Certainty(String word) {
        this.word = word;
    }

    String word() {
        return word;
    }
}
