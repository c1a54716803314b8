@echo off
rem Start the officer's app. Drag a campaign.yaml onto this file to open that campaign;
rem without one, the sample campaign opens. Results go beside the campaign, never into the install folder.
chcp 65001 >nul
setlocal
set "APP=%LOCALAPPDATA%\workbook_tools\venv\Scripts\workbook-tools.exe"
if not exist "%APP%" (
  echo Chua cai dat: nhap dup cai-dat.bat truoc.
  pause
  exit /b 1
)
if "%~1"=="" (
  if not exist "%USERPROFILE%\Documents\workbook_tools" mkdir "%USERPROFILE%\Documents\workbook_tools"
  cd /d "%USERPROFILE%\Documents\workbook_tools"
  "%APP%" app
) else (
  cd /d "%~dp1"
  "%APP%" app "%~1"
)
pause
