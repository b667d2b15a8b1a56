package io.chronolog.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChroniclePropertiesTest {
    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void save() {
        for (String key : ChronicleProperties.DEFAULTS.keySet()) {
            saved.put(key, System.getProperty(key));
        }
    }

    @AfterEach
    void restore() {
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }

    @Test
    void setsWhatIsUnsetAndIsIdempotent() {
        ChronicleProperties.DEFAULTS.keySet().forEach(System::clearProperty);
        ChronicleProperties.apply();
        ChronicleProperties.apply();
        ChronicleProperties.DEFAULTS.forEach((key, value) -> assertEquals(value, System.getProperty(key), key));
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
    }

    @Test
    void neverOverridesAValueAlreadySet() {
        ChronicleProperties.DEFAULTS.keySet().forEach(key -> System.setProperty(key, "set-by-user"));
        ChronicleProperties.apply();
        ChronicleProperties.DEFAULTS.keySet().forEach(key -> assertEquals("set-by-user", System.getProperty(key), key));
    }
}
