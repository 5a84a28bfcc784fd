# Reference side of gen_lang.py for RubyGems: Gem::Version (protocol: see maven/Compare.java;
# a string is valid when Gem::Version.correct? accepts it).
mode = $stdin.readline.strip
n = $stdin.readline.to_i
strings = Array.new(n) { [$stdin.readline.strip].pack("H*").force_encoding("UTF-8") }
versions = strings.map { |s| Gem::Version.correct?(s) ? Gem::Version.new(s) : nil }
if mode == "sort"
  versions.each { |v| puts(v ? "1" : "0") }
  puts (0...n).select { |i| versions[i] }.sort { |a, b| versions[a] <=> versions[b] }.join(" ")
else
  $stdin.each_line do |line|
    next if line.strip.empty?
    i, j = line.split.map(&:to_i)
    c = versions[i] <=> versions[j]
    puts(c < 0 ? "<" : c > 0 ? ">" : "=")
  end
end
