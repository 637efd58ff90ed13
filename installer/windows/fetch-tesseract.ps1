# Fills installer\windows\tesseract\ with Tesseract OCR for the Windows build (run once per build machine).
#
# Source of the binaries: the Tesseract 5 Windows builds published by UB Mannheim (the build the
# Tesseract project links to for Windows), installer extracted with 7-Zip; language data from the
# tesseract-ocr/tessdata_best repository (vie, eng) and tessdata (osd).
# Result:  tesseract\tesseract.exe, its DLLs, tesseract\tessdata\{vie,eng,osd}.traineddata
# The spec (installer\vanthu.spec) refuses to build without them. Override the folder with
# $env:VANTHU_TESSERACT_DIR if the IT department keeps an approved copy elsewhere.
param(
    [string]$Setup = "",          # a local tesseract-ocr-w64-setup-*.exe already downloaded
    [string]$Version = "5.4.0.20240606",
    [string]$Dest = (Join-Path $PSScriptRoot "tesseract")
)
$ErrorActionPreference = "Stop"
$sevenZip = (Get-Command 7z.exe -ErrorAction SilentlyContinue).Source
if (-not $sevenZip) { $sevenZip = "C:\Program Files\7-Zip\7z.exe" }
if (-not (Test-Path $sevenZip)) { throw "7-Zip is needed to unpack the Tesseract installer (winget install 7zip.7zip)" }

$work = Join-Path $env:TEMP "vanthu-tesseract"
New-Item -ItemType Directory -Force $work | Out-Null
if (-not $Setup) {
    $Setup = Join-Path $work "tesseract-ocr-w64-setup-$Version.exe"
    if (-not (Test-Path $Setup)) {
        Invoke-WebRequest -UseBasicParsing "https://digi.bib.uni-mannheim.de/tesseract/tesseract-ocr-w64-setup-$Version.exe" -OutFile $Setup
    }
}
if (Test-Path $Dest) { Remove-Item -Recurse -Force $Dest }
& $sevenZip x -y "-o$Dest" $Setup | Out-Null
if ($LASTEXITCODE -ne 0) { throw "7-Zip could not unpack $Setup" }
# NSIS leaves its plugin folder and the uninstaller: not needed.
Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $Dest '$PLUGINSDIR'), (Join-Path $Dest "uninstall.exe")

$tessdata = Join-Path $Dest "tessdata"
New-Item -ItemType Directory -Force $tessdata | Out-Null
$models = @{
    "vie.traineddata" = "https://github.com/tesseract-ocr/tessdata_best/raw/main/vie.traineddata";
    "eng.traineddata" = "https://github.com/tesseract-ocr/tessdata_best/raw/main/eng.traineddata";
    "osd.traineddata" = "https://github.com/tesseract-ocr/tessdata/raw/main/osd.traineddata"
}
foreach ($name in $models.Keys) {
    $target = Join-Path $tessdata $name
    if (-not (Test-Path $target)) { Invoke-WebRequest -UseBasicParsing $models[$name] -OutFile $target }
}
& (Join-Path $Dest "tesseract.exe") --version
& (Join-Path $Dest "tesseract.exe") --list-langs --tessdata-dir $tessdata
Write-Host "Tesseract ready in $Dest"
