; Inno Setup 6 script: per-machine installer of the workstation (Windows 10/11, 64-bit).
;
; Build (see build.ps1, which runs all of this):
;   python installer\build.py app                       -> dist\vanthu\ (PyInstaller, with Tesseract)
;   iscc /DAppVersion=0.1.0 installer\windows\vanthu.iss -> dist\vanthu-setup-0.1.0.exe
;
; The clerk's data lives in %LOCALAPPDATA%\vanthu (platformdirs user_data_dir), never under the
; install folder: uninstalling removes the program only, the registers and files stay.
; The IT officer's machine-wide settings go to %ProgramData%\vanthu\settings.json:
;   vanthu-setup-0.1.0.exe /SETTINGS="\\may-chu\phan-mem\vanthu-settings.json"
; or put vanthu-settings.json next to the setup program (and certificates in a folder vanthu-trust,
; copied to %ProgramData%\vanthu\trust). Both are kept on uninstall.
; Silent install for a whole office:  vanthu-setup-0.1.0.exe /VERYSILENT /SETTINGS=... /TASKS="pdfassoc"

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\vanthu"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "Văn thư"
#define AppExe "vanthu-gui.exe"
#define CliExe "vanthu.exe"
#define ProgId "Vanthu.PDF"

[Setup]
AppId={{7B1C2E4A-3F5D-4E8B-9A61-2D4C8F0E5A17}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Văn thư
DefaultDirName={autopf}\Vanthu
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=vanthu-setup-{#AppVersion}
SetupIconFile=..\..\build\icons\vanthu.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes
ShowLanguageDialog=no

[Languages]
#if FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
Name: "vi"; MessagesFile: "Vietnamese.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
PdfAssoc=Thêm «Văn thư» vào danh sách «Mở bằng» của tệp PDF
DesktopIcon=Tạo biểu tượng trên màn hình
SelfTest=Tự kiểm tra Văn thư
RunApp=Mở Văn thư
PdfDocument=Văn bản PDF (Văn thư)
BadSettings=Không tìm thấy tệp thiết lập chung %1 (tham số /SETTINGS).

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked
Name: "pdfassoc"; Description: "{cm:PdfAssoc}"; Flags: unchecked

[Dirs]
; Machine-wide settings: readable by every user, writable by administrators only (so locked keys stay locked).
Name: "{commonappdata}\vanthu"; Permissions: users-readexec; Flags: uninsneveruninstall

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\machine-settings.example.json"; DestDir: "{app}"; Flags: ignoreversion
Source: "{code:MachineSettingsSource}"; DestDir: "{commonappdata}\vanthu"; DestName: "settings.json"; Flags: external skipifsourcedoesntexist uninsneveruninstall; Check: HasMachineSettings
; The province's certificates (extra trust roots, the hub's TLS CA) from a folder vanthu-trust next to
; the setup program; the settings file names them as C:\ProgramData\vanthu\trust\<file>.
Source: "{src}\vanthu-trust\*"; DestDir: "{commonappdata}\vanthu\trust"; Flags: external skipifsourcedoesntexist uninsneveruninstall

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:SelfTest}"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#CliExe}"" self-test"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Registry]
; Optional: offered in "Open with" for PDF files (Windows decides the default program itself).
Root: HKA; Subkey: "Software\Classes\.pdf\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue; Tasks: pdfassoc
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:PdfDocument}"; Flags: uninsdeletekey; Tasks: pdfassoc
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"; Tasks: pdfassoc
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" --open ""%1"""; Tasks: pdfassoc
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".pdf"; ValueData: ""; Flags: uninsdeletekey; Tasks: pdfassoc

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:RunApp}"; Flags: postinstall nowait skipifsilent unchecked

[UninstallDelete]
; Only what the program itself may leave in its own folder; the clerk's data folder is never touched.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
function MachineSettingsSource(Param: String): String;
begin
  Result := ExpandConstant('{param:SETTINGS|}');
  if Result = '' then
    Result := ExpandConstant('{src}\vanthu-settings.json');
end;

function HasMachineSettings: Boolean;
begin
  Result := FileExists(MachineSettingsSource(''));
end;

function InitializeSetup: Boolean;
var
  Given: String;
begin
  Result := True;
  Given := ExpandConstant('{param:SETTINGS|}');
  if (Given <> '') and not FileExists(Given) then
  begin
    SuppressibleMsgBox(FmtMessage(CustomMessage('BadSettings'), [Given]), mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;
