// Reference side of gen_lang.py for Maven: ComparableVersion from maven-artifact.
// Protocol (stdin): a mode line ("sort" or "cmp"), a count N, N lines of
// hex-encoded UTF-8 version strings, then (cmp) lines "i j".
// Output: sort -> one line per string ("1" valid; Maven accepts every string),
// then the indices in ascending order on one line; cmp -> one verdict per pair.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class Compare {
    static List<Integer> mergeSort(List<Integer> xs, List<ComparableVersion> vs) {
        if (xs.size() <= 1) return xs;
        List<Integer> a = mergeSort(new ArrayList<>(xs.subList(0, xs.size() / 2)), vs);
        List<Integer> b = mergeSort(new ArrayList<>(xs.subList(xs.size() / 2, xs.size())), vs);
        List<Integer> out = new ArrayList<>();
        int i = 0, j = 0;
        while (i < a.size() || j < b.size()) {
            if (j >= b.size() || (i < a.size() && vs.get(a.get(i)).compareTo(vs.get(b.get(j))) <= 0)) {
                out.add(a.get(i++));
            } else {
                out.add(b.get(j++));
            }
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(System.out);
        String mode = in.readLine().trim();
        int n = Integer.parseInt(in.readLine().trim());
        List<ComparableVersion> vs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String hex = in.readLine().trim();
            byte[] bytes = new byte[hex.length() / 2];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) Integer.parseInt(hex.substring(2 * j, 2 * j + 2), 16);
            }
            vs.add(new ComparableVersion(new String(bytes, StandardCharsets.UTF_8)));
        }
        if (mode.equals("sort")) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.println("1");
                idx.add(i);
            }
            // A plain merge sort: ComparableVersion 3.8.7 is not always
            // transitive, and List.sort refuses such orders.
            idx = mergeSort(idx, vs);
            StringBuilder sb = new StringBuilder();
            for (int i : idx) sb.append(i).append(' ');
            out.println(sb.toString().trim());
        } else {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) continue;
                String[] p = line.trim().split(" ");
                int c = vs.get(Integer.parseInt(p[0])).compareTo(vs.get(Integer.parseInt(p[1])));
                out.println(c < 0 ? "<" : c > 0 ? ">" : "=");
            }
        }
        out.flush();
    }
}
