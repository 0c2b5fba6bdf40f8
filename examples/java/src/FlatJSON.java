// Reads and writes flat JSON objects, which is all APS answers and feedback are: names to
// strings (numbers, booleans and null read as their text). Enough for the example without a
// JSON library; a real project would use its own (Jackson, Gson, org.json).
import java.util.LinkedHashMap;
import java.util.Map;

final class FlatJSON {
    static Map<String, String> parse(String text) {
        Map<String, String> object = new LinkedHashMap<>();
        int[] at = {skip(text, 0)};
        expect(text, at, '{');
        while (text.charAt(at[0]) != '}') {
            String name = string(text, at);
            expect(text, at, ':');
            String value;
            if (text.charAt(at[0]) == '"') {
                value = string(text, at);
            } else {
                int start = at[0];
                while (",} \n\r\t".indexOf(text.charAt(at[0])) < 0) at[0]++;
                value = text.substring(start, at[0]);
                at[0] = skip(text, at[0]);
            }
            object.put(name, value);
            if (text.charAt(at[0]) == ',') at[0] = skip(text, at[0] + 1);
        }
        return object;
    }

    static String write(Map<String, String> object) {
        StringBuilder json = new StringBuilder("{");
        object.forEach((name, value) -> {
            if (json.length() > 1) json.append(',');
            json.append(quoted(name)).append(':').append(quoted(value));
        });
        return json.append('}').toString();
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    private static String string(String text, int[] at) {
        expect(text, at, '"');
        StringBuilder value = new StringBuilder();
        while (text.charAt(at[0]) != '"') {
            char c = text.charAt(at[0]++);
            if (c != '\\') { value.append(c); continue; }
            char escaped = text.charAt(at[0]++);
            switch (escaped) {
                case 'n' -> value.append('\n');
                case 't' -> value.append('\t');
                case 'r' -> value.append('\r');
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'u' -> { value.append((char) Integer.parseInt(text.substring(at[0], at[0] + 4), 16)); at[0] += 4; }
                default -> value.append(escaped);
            }
        }
        at[0] = skip(text, at[0] + 1);
        return value.toString();
    }

    private static void expect(String text, int[] at, char c) {
        if (text.charAt(at[0]) != c) throw new IllegalArgumentException("expected '" + c + "' at " + at[0] + " in " + text);
        at[0] = skip(text, at[0] + 1);
    }

    private static int skip(String text, int at) {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
        return at;
    }
}
