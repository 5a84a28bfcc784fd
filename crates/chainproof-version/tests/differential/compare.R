# Reference side of gen_lang.py for CRAN: R's package_version (protocol: see maven/Compare.java).
# A string is valid when package_version(s, strict = FALSE) accepts it and no component
# overflowed to NA (as.integer), which R would otherwise keep as a broken version.
con <- file("stdin")
lines <- readLines(con)
close(con)
mode <- lines[1]
n <- as.integer(lines[2])
unhex <- function(h) {
  if (nchar(h) == 0) return("")
  bytes <- as.raw(strtoi(substring(h, seq(1, nchar(h), 2), seq(2, nchar(h), 2)), 16L))
  s <- rawToChar(bytes)
  Encoding(s) <- "UTF-8"
  s
}
strings <- vapply(lines[3:(2 + n)], unhex, "", USE.NAMES = FALSE)
versions <- suppressWarnings(package_version(strings, strict = FALSE))
valid <- vapply(seq_len(n), function(i) {
  parts <- unclass(versions[i])[[1]]
  length(parts) > 0 && !anyNA(parts)
}, TRUE)
if (mode == "sort") {
  writeLines(ifelse(valid, "1", "0"))
  idx <- which(valid)
  ord <- idx[order(versions[idx])]
  writeLines(paste(ord - 1L, collapse = " "))
} else {
  pairs <- lines[(3 + n):length(lines)]
  pairs <- pairs[nchar(pairs) > 0]
  ij <- do.call(rbind, lapply(strsplit(pairs, " "), as.integer)) + 1L
  a <- versions[ij[, 1]]
  b <- versions[ij[, 2]]
  writeLines(ifelse(a < b, "<", ifelse(a > b, ">", "=")))
}
