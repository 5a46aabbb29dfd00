package dev.deltawatch.contracts;

/** A message that does not satisfy its contract. The message names the field and what was wrong. */
public class ContractException extends RuntimeException {
    public ContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
