// An import from a spreadsheet (导入) on a console page: the .xlsx file the
// user picked, its upload with the progress shown, the server's check, and
// the result. The server imports all rows or none: a refused file comes back
// with a report of row, column and problem (error.body.report), and the user
// picks the corrected file and tries again.
//
// send(file, { onProgress }) makes the request (an upload() of api/) and
// resolves with { imported, report }. The state is one reactive object, so
// that a page and SheetUpload.vue share it as it is.
import { reactive } from 'vue';

// The server's limit for the body of an import.
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

export function useSheetImport(send) {
  const sheet = reactive({
    file: null,
    fileProblem: '',
    // idle → uploading → checking → imported | refused | failed
    phase: 'idle',
    percent: 0,
    imported: 0,
    report: [],
    error: null,
    get busy() {
      return this.phase === 'uploading' || this.phase === 'checking';
    },
    /** The server answered about the file: imported, or refused with a report. */
    get answered() {
      return this.phase === 'imported' || this.phase === 'refused';
    },
    reset,
    pick,
    submit,
  });

  function reset() {
    sheet.phase = 'idle';
    sheet.percent = 0;
    sheet.report = [];
    sheet.error = null;
  }

  /** The change event of the page's <input type="file">. */
  function pick(event) {
    const picked = event.target.files?.[0] || null;
    // The same file picked again (corrected in place) must fire change again.
    event.target.value = '';
    if (!picked) return;
    sheet.fileProblem = '';
    if (!/\.xlsx$/i.test(picked.name)) sheet.fileProblem = '请选择 .xlsx 格式的文件（Excel 2007 及以后的工作簿）。';
    else if (picked.size > MAX_IMPORT_BYTES) sheet.fileProblem = '文件超过 16 MB，请拆分后分批导入。';
    sheet.file = sheet.fileProblem ? null : picked;
    reset();
  }

  async function submit() {
    if (!sheet.file || sheet.busy) return;
    reset();
    sheet.phase = 'uploading';
    try {
      const answer = await send(sheet.file, {
        onProgress: (fraction) => {
          sheet.percent = Math.round(fraction * 100);
          if (fraction >= 1) sheet.phase = 'checking';
        },
      });
      sheet.imported = answer?.imported ?? 0;
      sheet.phase = 'imported';
    } catch (e) {
      sheet.error = e;
      if (Array.isArray(e?.body?.report) && e.body.report.length) {
        sheet.report = e.body.report;
        sheet.phase = 'refused';
      } else {
        sheet.phase = 'failed';
      }
    }
  }

  return sheet;
}
