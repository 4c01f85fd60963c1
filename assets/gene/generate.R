# Extracts the two microarray sets that lipflow's merge page uses, from Debian's Bioconductor
# data packages, into plain files that assets/gene/gen turns into the compact format.
#
#   apt-get install -y r-base-core r-bioc-bladderbatch r-bioc-geoquery
#   Rscript assets/gene/generate.R /tmp/gene-raw
#   go run ./assets/gene/gen -in /tmp/gene-raw -out assets/gene/data
#
# For each set NAME it writes NAME-probes.txt (one probe id a line), NAME-samples.tsv (id, batch,
# class) and NAME-values.f64 (little-endian float64, sample after sample, probes in the order of
# NAME-probes.txt).
#
# bladder: bladderbatch's bladderEset, 22,283 probes (HG-U133A) x 57 samples, RMA log2
#   expression as the package ships it; batch = the package's processing batch (1-5), class = its
#   'cancer' column (Biopsy, Cancer, Normal).
# kidney: the 17 HG-U133A (GPL96) samples of GEOquery's extdata/GSE781_family.soft.gz; VALUE is
#   MAS 5.0 signal (mean scaled to 500), stored as log2(max(VALUE, 1)) so that both sets are on the
#   log2 scale; batch = "GSE781", class from the sample title: N... = Normal (tissue adjacent to
#   the tumour), C... = Cancer (renal clear cell carcinoma). The probes are put in bladderbatch's
#   order; the script stops if any is missing.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript generate.R OUTDIR")
out <- args[1]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
suppressMessages({
  library(Biobase)
  library(GEOquery)
})

write_set <- function(name, x, samples) {
  stopifnot(all(is.finite(x)), ncol(x) == nrow(samples))
  writeLines(rownames(x), file.path(out, paste0(name, "-probes.txt")))
  write.table(samples, file.path(out, paste0(name, "-samples.tsv")), sep = "\t",
              quote = FALSE, row.names = FALSE)
  con <- file(file.path(out, paste0(name, "-values.f64")), "wb")
  # A matrix is column-major: each sample's probes are contiguous.
  writeBin(as.vector(x), con, size = 8, endian = "little")
  close(con)
  cat(name, ":", nrow(x), "probes x", ncol(x), "samples\n")
}

e <- new.env()
load(system.file("data", "bladderdata.rda", package = "bladderbatch"), envir = e)
b <- e$bladderEset
bx <- exprs(b)
bp <- pData(b)
write_set("bladder", bx, data.frame(id = sub("\\.CEL$", "", colnames(bx)),
                                    batch = as.character(bp$batch),
                                    class = as.character(bp$cancer)))

g <- getGEO(filename = system.file("extdata", "GSE781_family.soft.gz", package = "GEOquery"))
gsms <- Filter(function(s) Meta(s)$platform_id == "GPL96", GSMList(g))
kx <- sapply(gsms, function(s) {
  t <- Table(s)
  v <- as.numeric(t$VALUE)[match(rownames(bx), t$ID_REF)]
  if (any(is.na(v))) stop(Meta(s)$geo_accession, ": probes missing")
  log2(pmax(v, 1))
})
rownames(kx) <- rownames(bx)
titles <- sapply(gsms, function(s) Meta(s)$title)
cls <- ifelse(substr(titles, 1, 1) == "N", "Normal", ifelse(substr(titles, 1, 1) == "C", "Cancer", NA))
if (any(is.na(cls))) stop("a GSE781 title starts with neither N nor C")
write_set("kidney", kx, data.frame(id = names(gsms), batch = "GSE781", class = cls))
