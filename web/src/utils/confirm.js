// Confirmation before a destructive or irreversible act.
import { ElMessageBox } from 'element-plus';

/** Resolves true when the user confirms, false when they cancel. */
export async function confirmDanger(message, { title = '请确认', confirmText = '确定' } = {}) {
  try {
    await ElMessageBox.confirm(message, title, {
      type: 'warning',
      confirmButtonText: confirmText,
      cancelButtonText: '取消',
      confirmButtonClass: 'el-button--danger',
    });
    return true;
  } catch {
    return false;
  }
}
