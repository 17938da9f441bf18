"""Legacy Word `.doc` and WPS `.wps`: converted to DOCX by LibreOffice headless, then read as DOCX.

2008–2018 reports were often published as Word 97 or Kingsoft WPS files. LibreOffice (`soffice`, Debian's
libreoffice-writer-nogui) converts them; each conversion runs
- with a private, throw-away profile (-env:UserInstallation), so concurrent conversions and a user's own
  LibreOffice never share or lock a profile, and no macro, update check or recovery runs from it;
- without network: in a new network namespace (`unshare -rn`) where the system allows one, and always
  with links to outside content blocked in the profile, so a document cannot make the machine fetch a
  URL (linked images, remote templates);
- within a timeout, after which LibreOffice and everything it started are killed (its process group), and
  also when the worker reading the file is killed (its own budget's timeout): a guard process then kills
  the group and removes the profile folder (`subprocesses.run`), so no `soffice.bin` is left running.
Without LibreOffice the file is refused with a sentence that says how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from govreport_core.model import RawDocument, ReportError

from . import subprocesses
from .docx import read_docx

TIMEOUT_SECONDS = 60.0
INSTALL_HINT = ("LibreOffice is needed to read .doc and .wps files and is not installed; install it with "
                "`apt-get install libreoffice-writer-nogui` (Debian/Ubuntu), or save the report as DOCX.")
# The profile LibreOffice starts with: macros never run, no update check, remote links not followed.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse">
<value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse">
<value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks"
 oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments">
<prop oor:name="AutoCheckEnabled" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""
_UNSHARE: list[bool] = []  # whether `unshare -rn` works here, found out once per process


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_office(data: bytes, fmt: str) -> RawDocument:
    """A .doc or .wps file (bytes) -> RawDocument, through a DOCX made by LibreOffice."""
    raw = read_docx(convert_to_docx(data, fmt))
    return replace(raw, format=fmt)


def convert_to_docx(data: bytes, fmt: str, timeout: float = TIMEOUT_SECONDS) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        raise ReportError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="govreport-office-") as folder:
        work = Path(folder)
        source = work / f"report.{fmt}"
        source.write_bytes(data)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
                   "--norestore", "--nolockcheck", "--nodefault", "--convert-to", "docx:MS Word 2007 XML",
                   "--outdir", str(work / "out"), str(source)]
        if _can_unshare():
            command = ["unshare", "-rn", *command]
        try:
            subprocesses.run(command, timeout, env={**os.environ, "HOME": folder, "SAL_USE_VCLPLUGIN": "svp"},
                             cleanup=work)
        except subprocess.TimeoutExpired:
            raise ReportError(f"LibreOffice took more than {timeout:.0f} s to convert the file; it was stopped.") from None
        converted = work / "out" / "report.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise ReportError(f"LibreOffice could not convert this .{fmt} file to DOCX (it may be damaged, "
                              "password-protected or not a word-processor document).")
        return converted.read_bytes()


def _can_unshare() -> bool:
    if not _UNSHARE:
        try:
            ok = shutil.which("unshare") is not None and subprocess.run(
                ["unshare", "-rn", "true"], capture_output=True, timeout=10).returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
        _UNSHARE.append(ok)
    return _UNSHARE[0]
