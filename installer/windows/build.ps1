# Windows build of the workstation: PyInstaller one-folder app with Tesseract, then the Inno Setup installer.
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
# Needs: Python 3.11 x64 on PATH (py -3.11), Inno Setup 6 (iscc.exe), 7-Zip (for fetch-tesseract.ps1).
$ErrorActionPreference = "Stop"
$root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $root
if (-not (Test-Path ".venv\Scripts\python.exe")) { py -3.11 -m venv .venv }
$py = Join-Path $root ".venv\Scripts\python.exe"
& $py -m pip install -q --upgrade pip
& $py -m pip install -q -e ".[dist]"
if (-not $env:VANTHU_TESSERACT_DIR -and -not (Test-Path "installer\windows\tesseract\tesseract.exe")) {
    & (Join-Path $PSScriptRoot "fetch-tesseract.ps1")
}
& $py installer\build.py app
if ($LASTEXITCODE -ne 0) { throw "PyInstaller build failed" }
# smoke test of the frozen program before packaging it
& "dist\vanthu\vanthu.exe" --version
& "dist\vanthu\vanthu.exe" self-test
$version = & $py -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" "installer\windows\vanthu.iss"
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "dist\vanthu-setup-$version.exe"
