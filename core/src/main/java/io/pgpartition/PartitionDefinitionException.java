package io.pgpartition;

/**
 * Annotation or policy text that cannot be understood: a bad interval, retention, naming pattern or time zone.
 * The message names the annotation, its attribute, the text given and what is accepted.
 */
public class PartitionDefinitionException extends PartitioningException {

    private final String annotation;
    private final String attribute;
    private final String text;

    public PartitionDefinitionException(String annotation, String attribute, String text, String accepted) {
        super(ErrorCode.DEFINITION_INVALID,
                "Invalid " + annotation + "(" + attribute + " = \"" + text + "\"): " + accepted);
        this.annotation = annotation;
        this.attribute = attribute;
        this.text = text;
    }

    /** The annotation (or policy) holding the bad text, such as {@code @RangePartitions}. */
    public String getAnnotation() {
        return annotation;
    }

    /** The attribute holding the bad text, such as {@code interval}. */
    public String getAttribute() {
        return attribute;
    }

    /** The text as given. */
    public String getText() {
        return text;
    }
}
