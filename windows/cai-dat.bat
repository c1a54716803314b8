@echo off
rem Install workbook_tools for this Windows user (once; needs the internet) and put a shortcut on the desktop.
rem Python 3.11 from python.org must be installed first, with "Add python.exe to PATH" ticked.
chcp 65001 >nul
setlocal
set "HOME_DIR=%LOCALAPPDATA%\workbook_tools"
set "SOURCE=%~dp0.."
where py >nul 2>nul && (set "PY=py -3.11") || (set "PY=python")
echo Dang cai dat workbook_tools vao %HOME_DIR% ...
%PY% -m venv "%HOME_DIR%\venv" || goto failed
"%HOME_DIR%\venv\Scripts\python.exe" -m pip install --upgrade pip >nul
"%HOME_DIR%\venv\Scripts\python.exe" -m pip install "%SOURCE%" || goto failed
copy /y "%~dp0mo-ung-dung.bat" "%HOME_DIR%\mo-ung-dung.bat" >nul
powershell -NoProfile -Command "$s=(New-Object -ComObject WScript.Shell).CreateShortcut([Environment]::GetFolderPath('Desktop')+'\Danh gia QCDC - DVCQ.lnk'); $s.TargetPath='%HOME_DIR%\mo-ung-dung.bat'; $s.WorkingDirectory='%HOME_DIR%'; $s.Save()"
echo.
echo Da cai dat xong. Tren man hinh nen co bieu tuong "Danh gia QCDC - DVCQ": nhap dup de mo ung dung.
pause
exit /b 0
:failed
echo.
echo Cai dat khong thanh cong. Kiem tra: da cai Python 3.11 (co chon "Add python.exe to PATH") va may co mang.
pause
exit /b 1
