<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi">
  <context>
    <name>vanthu</name>
    <message>
      <source>Sổ đăng ký văn bản đến</source>
      <translation>Incoming register book</translation>
    </message>
    <message>
      <source>Sổ đăng ký văn bản đi</source>
      <translation>Outgoing register book</translation>
    </message>
    <message>
      <source>Sổ theo dõi giải quyết văn bản đến</source>
      <translation>Follow-up book of incoming documents</translation>
    </message>
    <message>
      <source>Sổ gửi văn bản đi bưu điện</source>
      <translation>Postal dispatch book</translation>
    </message>
    <message>
      <source>Quý I</source>
      <translation>Quarter I</translation>
    </message>
    <message>
      <source>Quý II</source>
      <translation>Quarter II</translation>
    </message>
    <message>
      <source>Quý III</source>
      <translation>Quarter III</translation>
    </message>
    <message>
      <source>Quý IV</source>
      <translation>Quarter IV</translation>
    </message>
    <message>
      <source>Cả năm (quyển đóng)</source>
      <translation>Whole year (bound volume)</translation>
    </message>
    <message>
      <source>Xem trước</source>
      <translation>Preview</translation>
    </message>
    <message>
      <source>In… (Ctrl+P)</source>
      <translation>Print… (Ctrl+P)</translation>
    </message>
    <message>
      <source>Lưu PDF…</source>
      <translation>Save PDF…</translation>
    </message>
    <message>
      <source>Dừng</source>
      <translation>Stop</translation>
    </message>
    <message>
      <source>Chọn sổ, năm và quý rồi bấm «Xem trước».</source>
      <translation>Choose the book, year and quarter, then press «Preview».</translation>
    </message>
    <message>
      <source>Đang lập sổ…</source>
      <translation>Laying out the book…</translation>
    </message>
    <message>
      <source>Lưu sổ thành PDF</source>
      <translation>Save the book as PDF</translation>
    </message>
    <message>
      <source>Tệp PDF (*.pdf)</source>
      <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
      <source>In sổ</source>
      <translation>Print book</translation>
    </message>
    <message>
      <source>Đang in…</source>
      <translation>Printing…</translation>
    </message>
    <message>
      <source>Sổ</source>
      <translation>Register</translation>
    </message>
    <message>
      <source>Năm</source>
      <translation>Year</translation>
    </message>
    <message>
      <source>Lập sổ</source>
      <translation>Book layout</translation>
    </message>
    <message>
      <source>{label}: {n} văn bản, {p} tờ (trang {a}–{b}).</source>
      <translation>{label}: {n} documents, {p} sheets (pages {a}–{b}).</translation>
    </message>
    <message>
      <source>Đã dừng.</source>
      <translation>Stopped.</translation>
    </message>
    <message>
      <source>Không lưu được tệp {p}.</source>
      <translation>Could not save {p}.</translation>
    </message>
    <message>
      <source>Đã gửi {n} trang tới máy in.</source>
      <translation>Sent {n} pages to the printer.</translation>
    </message>
    <message>
      <source>Lưu sổ</source>
      <translation>Save the book</translation>
    </message>
    <message>
      <source>Đã lưu {p}.</source>
      <translation>Saved {p}.</translation>
    </message>
    <message>
      <source>Số</source>
      <translation>No.</translation>
    </message>
    <message>
      <source>Số đến</source>
      <translation>Arrival no.</translation>
    </message>
    <message>
      <source>Ngày đến</source>
      <translation>Arrived</translation>
    </message>
    <message>
      <source>Tác giả</source>
      <translation>Author</translation>
    </message>
    <message>
      <source>Số, ký hiệu</source>
      <translation>Reference</translation>
    </message>
    <message>
      <source>Ngày văn bản</source>
      <translation>Document date</translation>
    </message>
    <message>
      <source>Tên loại và trích yếu nội dung</source>
      <translation>Type and summary</translation>
    </message>
    <message>
      <source>Đơn vị, người nhận</source>
      <translation>Receiving unit/person</translation>
    </message>
    <message>
      <source>Người ký</source>
      <translation>Signer</translation>
    </message>
    <message>
      <source>Nơi nhận</source>
      <translation>Recipients</translation>
    </message>
    <message>
      <source>Độ khẩn</source>
      <translation>Urgency</translation>
    </message>
    <message>
      <source>Trạng thái</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>Không đọc được danh sách văn bản.</source>
      <translation>Could not read the list of documents.</translation>
    </message>
    <message>
      <source>đang chuyển</source>
      <translation>in transit</translation>
    </message>
    <message>
      <source>nơi nhận đã nhận</source>
      <translation>received by the recipient</translation>
    </message>
    <message>
      <source>chuyển không được</source>
      <translation>could not be delivered</translation>
    </message>
    <message>
      <source>Bản số hóa</source>
      <translation>Digitized copy</translation>
    </message>
    <message>
      <source>Tệp gốc</source>
      <translation>Original file</translation>
    </message>
    <message>
      <source>Đã ký số</source>
      <translation>Signed</translation>
    </message>
    <message>
      <source>Đính kèm</source>
      <translation>Attachment</translation>
    </message>
    <message>
      <source>Bản xem an toàn</source>
      <translation>Safe viewing copy</translation>
    </message>
    <message>
      <source>Lý do hủy số</source>
      <translation>Reason for voiding</translation>
    </message>
    <message>
      <source>máy trạm này</source>
      <translation>this workstation</translation>
    </message>
    <message>
      <source>Thường</source>
      <translation>Normal</translation>
    </message>
    <message>
      <source>Xác nhận</source>
      <translation>Confirm</translation>
    </message>
    <message>
      <source>Hủy bỏ</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>Hủy số</source>
      <translation>Void number</translation>
    </message>
    <message>
      <source>Lý do hủy số:</source>
      <translation>Reason for voiding:</translation>
    </message>
    <message>
      <source>Thông tin</source>
      <translation>Details</translation>
    </message>
    <message>
      <source>Tệp</source>
      <translation>Files</translation>
    </message>
    <message>
      <source>Lịch sử</source>
      <translation>History</translation>
    </message>
    <message>
      <source>Nơi nhận báo về</source>
      <translation>Recipients' statuses</translation>
    </message>
    <message>
      <source>Đổi trạng thái</source>
      <translation>Change status</translation>
    </message>
    <message>
      <source>Hủy số…</source>
      <translation>Void…</translation>
    </message>
    <message>
      <source>Sửa thông tin…</source>
      <translation>Correct…</translation>
    </message>
    <message>
      <source>Mở tệp</source>
      <translation>Open file</translation>
    </message>
    <message>
      <source>Ký số và phát hành…</source>
      <translation>Sign and dispatch…</translation>
    </message>
    <message>
      <source>Đóng</source>
      <translation>Close</translation>
    </message>
    <message>
      <source>Đang tải…</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <source>Thời điểm đăng ký</source>
      <translation>Registered at</translation>
    </message>
    <message>
      <source>không đổi nội dung</source>
      <translation>content unchanged</translation>
    </message>
    <message>
      <source>Sửa thông tin văn bản</source>
      <translation>Correct document details</translation>
    </message>
    <message>
      <source>Trường</source>
      <translation>Field</translation>
    </message>
    <message>
      <source>Giá trị mới</source>
      <translation>New value</translation>
    </message>
    <message>
      <source>Lý do sửa</source>
      <translation>Reason for correction</translation>
    </message>
    <message>
      <source>Lưu phiên bản mới</source>
      <translation>Save new revision</translation>
    </message>
    <message>
      <source>Phiên bản</source>
      <translation>Revision</translation>
    </message>
    <message>
      <source>Thời điểm</source>
      <translation>Time</translation>
    </message>
    <message>
      <source>Người thực hiện</source>
      <translation>By</translation>
    </message>
    <message>
      <source>Lý do / thay đổi</source>
      <translation>Reason / changes</translation>
    </message>
    <message>
      <source>Ghi chú</source>
      <translation>Note</translation>
    </message>
    <message>
      <source>Trạng thái:</source>
      <translation>Status:</translation>
    </message>
    <message>
      <source>Đăng ký</source>
      <translation>Registered</translation>
    </message>
    <message>
      <source>Thiếu lý do</source>
      <translation>Reason missing</translation>
    </message>
    <message>
      <source>Cần ghi lý do sửa.</source>
      <translation>A reason for the correction is required.</translation>
    </message>
    <message>
      <source>Giấy</source>
      <translation>Paper</translation>
    </message>
    <message>
      <source>Điện tử</source>
      <translation>Electronic</translation>
    </message>
    <message>
      <source>Không đọc được văn bản: {e}</source>
      <translation>Could not read the document: {e}</translation>
    </message>
    <message>
      <source>ĐÃ HỦY SỐ</source>
      <translation>VOIDED</translation>
    </message>
    <message>
      <source>Văn bản {n}/{y}</source>
      <translation>Document {n}/{y}</translation>
    </message>
    <message>
      <source>chờ gửi lên trục</source>
      <translation>waiting to go to the platform</translation>
    </message>
    <message>
      <source>Số {n}/{y} của sổ {r} sẽ bị hủy và không bao giờ được dùng lại. Văn bản vẫn nằm trong sổ với dấu đã hủy.</source>
      <translation>Number {n}/{y} of register {r} will be voided and never reused. The entry stays in the register, marked voided.</translation>
    </message>
    <message>
      <source>ĐÃ THU HỒI</source>
      <translation>RECALLED</translation>
    </message>
    <message>
      <source>chưa có tin từ trục</source>
      <translation>no news from the platform yet</translation>
    </message>
    <message>
      <source>Trục: {s}</source>
      <translation>Platform: {s}</translation>
    </message>
    <message>
      <source>Sửa thông tin</source>
      <translation>Correction</translation>
    </message>
    <message>
      <source>Tên loại văn bản</source>
      <translation>Document type</translation>
    </message>
    <message>
      <source>Số văn bản</source>
      <translation>Number</translation>
    </message>
    <message>
      <source>Ký hiệu văn bản</source>
      <translation>Notation</translation>
    </message>
    <message>
      <source>Ngày tháng văn bản</source>
      <translation>Document date</translation>
    </message>
    <message>
      <source>Địa danh</source>
      <translation>Place</translation>
    </message>
    <message>
      <source>Cơ quan ban hành</source>
      <translation>Issuer</translation>
    </message>
    <message>
      <source>Mã định danh cơ quan ban hành</source>
      <translation>Issuer identifier</translation>
    </message>
    <message>
      <source>Trích yếu nội dung</source>
      <translation>Summary</translation>
    </message>
    <message>
      <source>Ngôn ngữ</source>
      <translation>Language</translation>
    </message>
    <message>
      <source>Số trang</source>
      <translation>Pages</translation>
    </message>
    <message>
      <source>Chức vụ người ký</source>
      <translation>Signer's title</translation>
    </message>
    <message>
      <source>Mã hồ sơ</source>
      <translation>File code</translation>
    </message>
    <message>
      <source>Số thứ tự văn bản trong hồ sơ</source>
      <translation>Ordinal in file</translation>
    </message>
    <message>
      <source>Mã định danh văn bản</source>
      <translation>Document identifier</translation>
    </message>
    <message>
      <source>Hình thức nhận</source>
      <translation>Received as</translation>
    </message>
    <message>
      <source>Đơn vị hoặc người nhận</source>
      <translation>Receiving unit or person</translation>
    </message>
    <message>
      <source>Ý kiến phân phối, chỉ đạo</source>
      <translation>Handling instructions</translation>
    </message>
    <message>
      <source>Hạn giải quyết</source>
      <translation>Handling deadline</translation>
    </message>
    <message>
      <source>Ngày chuyển</source>
      <translation>Forwarded on</translation>
    </message>
    <message>
      <source>Số lượng bản</source>
      <translation>Copies</translation>
    </message>
    <message>
      <source>Hạn trả lời</source>
      <translation>Reply deadline</translation>
    </message>
    <message>
      <source>Đơn vị, người nhận bản lưu</source>
      <translation>Unit/person keeping the original</translation>
    </message>
    <message>
      <source>Không mật</source>
      <translation>Not secret</translation>
    </message>
    <message>
      <source>Mật</source>
      <translation>Secret (Mật)</translation>
    </message>
    <message>
      <source>Tối mật</source>
      <translation>Top secret (Tối mật)</translation>
    </message>
    <message>
      <source>Tuyệt mật</source>
      <translation>Absolutely secret (Tuyệt mật)</translation>
    </message>
    <message>
      <source>tệp đính kèm</source>
      <translation>attachment</translation>
    </message>
    <message>
      <source>Khi đăng ký, chương trình lưu kèm: {f}.</source>
      <translation>When registering, the program stores with it: {f}.</translation>
    </message>
    <message>
      <source>Tự chọn theo loại văn bản</source>
      <translation>Automatic (by document type)</translation>
    </message>
    <message>
      <source>Sổ đăng ký</source>
      <translation>Register</translation>
    </message>
    <message>
      <source>Thông tin khác</source>
      <translation>More details</translation>
    </message>
    <message>
      <source>Độ mật</source>
      <translation>Secrecy</translation>
    </message>
    <message>
      <source> ngày làm việc</source>
      <translation> working days</translation>
    </message>
    <message>
      <source>Tính hạn</source>
      <translation>Compute</translation>
    </message>
    <message>
      <source>Đã đăng ký</source>
      <translation>Registered</translation>
    </message>
    <message>
      <source>Xong</source>
      <translation>Done</translation>
    </message>
    <message>
      <source>Các trường có dấu * là bắt buộc. Số được cấp tự động khi đăng ký.</source>
      <translation>Fields marked * are required. The number is assigned automatically on registration.</translation>
    </message>
    <message>
      <source>Đăng ký (Ctrl+Enter)</source>
      <translation>Register (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>Gợi ý tự động chưa chắc chắn: hãy kiểm tra lại.</source>
      <translation>Uncertain automatic suggestion: please check.</translation>
    </message>
    <message>
      <source>Thêm nơi nhận: gõ vài chữ rồi chọn, Enter để thêm</source>
      <translation>Add a recipient: type a few letters, pick, Enter to add</translation>
    </message>
    <message>
      <source>Ký số bản số hóa…</source>
      <translation>Sign the digitized copy…</translation>
    </message>
    <message>
      <source>Đang ký…</source>
      <translation>Signing…</translation>
    </message>
    <message>
      <source>Đăng ký văn bản đến</source>
      <translation>Register incoming document</translation>
    </message>
    <message>
      <source>Đăng ký văn bản đi</source>
      <translation>Register outgoing document</translation>
    </message>
    <message>
      <source>Chờ đọc xong các trang…</source>
      <translation>Waiting for the remaining pages…</translation>
    </message>
    <message>
      <source>Có thể trùng</source>
      <translation>Possible duplicate</translation>
    </message>
    <message>
      <source>bản số hóa văn bản giấy</source>
      <translation>digitized copy of the paper document</translation>
    </message>
    <message>
      <source>tệp gốc</source>
      <translation>original file</translation>
    </message>
    <message>
      <source>tệp đã ký số</source>
      <translation>signed file</translation>
    </message>
    <message>
      <source>Bắt buộc nhập {f}.</source>
      <translation>{f} is required.</translation>
    </message>
    <message>
      <source>{r}, năm {y} — {t}</source>
      <translation>{r}, year {y} — {t}</translation>
    </message>
    <message>
      <source>Đang đọc các trang còn lại; bản số hóa sẽ được lưu kèm khi đọc xong.</source>
      <translation>Reading the remaining pages; the digitized copy will be stored once they are read.</translation>
    </message>
    <message>
      <source>Đăng ký văn bản</source>
      <translation>Register document</translation>
    </message>
    <message>
      <source>Vẫn đăng ký văn bản này?</source>
      <translation>Register this document anyway?</translation>
    </message>
    <message>
      <source>Văn bản mật</source>
      <translation>Secret document</translation>
    </message>
    <message>
      <source>Chưa ký được.</source>
      <translation>Not signed.</translation>
    </message>
    <message>
      <source>Không đọc được các trang còn lại</source>
      <translation>The remaining pages could not be read</translation>
    </message>
    <message>
      <source>Đã ký số bản số hóa</source>
      <translation>Digitized copy signed</translation>
    </message>
    <message>
      <source>ngày/tháng/năm</source>
      <translation>dd/mm/yyyy</translation>
    </message>
    <message>
      <source>để trống: lúc đăng ký (ngày/tháng/năm giờ:phút)</source>
      <translation>empty: now (dd/mm/yyyy hh:mm)</translation>
    </message>
    <message>
      <source>ví dụ QĐ-UBND</source>
      <translation>e.g. QĐ-UBND</translation>
    </message>
    <message>
      <source>để trống: theo sổ (ví dụ QĐ-UBND)</source>
      <translation>empty: from the register (e.g. QĐ-UBND)</translation>
    </message>
    <message>
      <source>ví dụ 1007</source>
      <translation>e.g. 1007</translation>
    </message>
    <message>
      <source>Cài đặt lần đầu — Văn thư</source>
      <translation>First-time setup — Văn thư</translation>
    </message>
    <message>
      <source>Chào mừng! Trước khi làm việc, hãy cho biết cơ quan của bạn. Địa chỉ trục liên thông và token ký số có thể để trống và đặt sau trong Cài đặt. Những mục quản trị viên đã đặt sẵn hiển thị mờ, không sửa được.</source>
      <translation>Welcome! Before you start, tell us about your organization. The exchange hub address and the signing token can be left empty and set later in Settings. Items preset by the administrator are greyed out and cannot be changed.</translation>
    </message>
    <message>
      <source>Lưu và bắt đầu</source>
      <translation>Save and start</translation>
    </message>
    <message>
      <source>Để sau</source>
      <translation>Later</translation>
    </message>
    <message>
      <source>Chọn tệp…</source>
      <translation>Choose file…</translation>
    </message>
    <message>
      <source>Dò tìm</source>
      <translation>Detect</translation>
    </message>
    <message>
      <source>Chọn thư viện token</source>
      <translation>Choose token library</translation>
    </message>
    <message>
      <source>Thư viện PKCS#11 (*.so *.so.* *.dll *.dylib);;Mọi tệp (*)</source>
      <translation>PKCS#11 library (*.so *.so.* *.dll *.dylib);;All files (*)</translation>
    </message>
    <message>
      <source>Đang dò…</source>
      <translation>Detecting…</translation>
    </message>
    <message>
      <source>Thiết lập này do quản trị viên khóa trong tệp thiết lập chung của máy.</source>
      <translation>This setting is locked by the administrator in the machine-wide settings file.</translation>
    </message>
    <message>
      <source>Dò tìm token</source>
      <translation>Detect token</translation>
    </message>
    <message>
      <source>Không tìm thấy thư viện token nào dùng được trên máy này.</source>
      <translation>No usable token library was found on this machine.</translation>
    </message>
    <message>
      <source>Do quản trị viên đặt sẵn.</source>
      <translation>Preset by the administrator.</translation>
    </message>
    <message>
      <source>đường dẫn thư viện PKCS#11 (.so, .dll)</source>
      <translation>path of the PKCS#11 library (.so, .dll)</translation>
    </message>
    <message>
      <source>Khẩn</source>
      <translation>Urgent</translation>
    </message>
    <message>
      <source>Thượng khẩn</source>
      <translation>Very urgent</translation>
    </message>
    <message>
      <source>Hỏa tốc</source>
      <translation>Flash</translation>
    </message>
    <message>
      <source>Hỏa tốc hẹn giờ</source>
      <translation>Flash, timed</translation>
    </message>
    <message>
      <source>Văn bản đến</source>
      <translation>Incoming</translation>
    </message>
    <message>
      <source>Văn bản đi</source>
      <translation>Outgoing</translation>
    </message>
    <message>
      <source>Bản sao</source>
      <translation>Copies</translation>
    </message>
    <message>
      <source>Đã chuyển xử lý</source>
      <translation>Forwarded</translation>
    </message>
    <message>
      <source>Đang xử lý</source>
      <translation>In progress</translation>
    </message>
    <message>
      <source>Đã giải quyết</source>
      <translation>Done</translation>
    </message>
    <message>
      <source>Đã thu hồi</source>
      <translation>Recalled</translation>
    </message>
    <message>
      <source>Đã hủy số</source>
      <translation>Voided</translation>
    </message>
    <message>
      <source>Đã phát hành</source>
      <translation>Dispatched</translation>
    </message>
    <message>
      <source>Đã đến</source>
      <translation>Arrived</translation>
    </message>
    <message>
      <source>Từ chối tiếp nhận</source>
      <translation>Refused</translation>
    </message>
    <message>
      <source>Đã tiếp nhận, đăng ký</source>
      <translation>Received and registered</translation>
    </message>
    <message>
      <source>Phân công xử lý</source>
      <translation>Assigned</translation>
    </message>
    <message>
      <source>Hoàn thành</source>
      <translation>Completed</translation>
    </message>
    <message>
      <source>Đề nghị lấy lại, cập nhật</source>
      <translation>Recall or update requested</translation>
    </message>
    <message>
      <source>Đồng ý lấy lại, cập nhật</source>
      <translation>Recall or update accepted</translation>
    </message>
    <message>
      <source>Từ chối lấy lại, cập nhật</source>
      <translation>Recall or update refused</translation>
    </message>
    <message>
      <source>Chờ tiếp nhận</source>
      <translation>Received, waiting</translation>
    </message>
    <message>
      <source>Đã tiếp nhận</source>
      <translation>Accepted</translation>
    </message>
    <message>
      <source>Đã trả lại</source>
      <translation>Returned</translation>
    </message>
    <message>
      <source>Thông báo</source>
      <translation>Notice</translation>
    </message>
    <message>
      <source>Gói tin lỗi</source>
      <translation>Broken package</translation>
    </message>
    <message>
      <source>Bị giữ lại</source>
      <translation>Held back</translation>
    </message>
    <message>
      <source>Hướng dẫn sử dụng</source>
      <translation>User guide</translation>
    </message>
    <message>
      <source># Hướng dẫn sử dụng

Bản cài đặt này thiếu tệp hướng dẫn ({p}). Hãy báo quản trị viên cài lại chương trình.</source>
      <translation># User guide

This installation lacks the guide file ({p}). Please ask the administrator to reinstall the program.</translation>
    </message>
    <message>
      <source>Nhận lúc</source>
      <translation>Received</translation>
    </message>
    <message>
      <source>Nơi gửi</source>
      <translation>Sender</translation>
    </message>
    <message>
      <source>Tên loại và trích yếu</source>
      <translation>Type and summary</translation>
    </message>
    <message>
      <source>Chữ ký số</source>
      <translation>Digital signatures</translation>
    </message>
    <message>
      <source>Chữ ký hợp lệ</source>
      <translation>Signatures valid</translation>
    </message>
    <message>
      <source>Hợp lệ, có cảnh báo</source>
      <translation>Valid, with warnings</translation>
    </message>
    <message>
      <source>Chữ ký KHÔNG hợp lệ</source>
      <translation>Signatures NOT valid</translation>
    </message>
    <message>
      <source>Không có chữ ký số</source>
      <translation>No digital signature</translation>
    </message>
    <message>
      <source>Chưa kiểm tra được</source>
      <translation>Not checked</translation>
    </message>
    <message>
      <source>Nhận văn bản mới</source>
      <translation>Receive new documents</translation>
    </message>
    <message>
      <source>Tiếp nhận vào sổ</source>
      <translation>Accept into register</translation>
    </message>
    <message>
      <source>Trả lại…</source>
      <translation>Return…</translation>
    </message>
    <message>
      <source>Sổ mặc định</source>
      <translation>Default register</translation>
    </message>
    <message>
      <source>Tất cả</source>
      <translation>All</translation>
    </message>
    <message>
      <source>Trạng thái nơi nhận báo về</source>
      <translation>Statuses from recipients</translation>
    </message>
    <message>
      <source>Bị giữ lại (nơi gửi không xác thực được)</source>
      <translation>Held back (sender not authenticated)</translation>
    </message>
    <message>
      <source>Hiển thị</source>
      <translation>Show</translation>
    </message>
    <message>
      <source>Vào sổ</source>
      <translation>Into register</translation>
    </message>
    <message>
      <source>Tệp đính kèm</source>
      <translation>Attachments</translation>
    </message>
    <message>
      <source>Không có văn bản nào.</source>
      <translation>No documents.</translation>
    </message>
    <message>
      <source>Chọn một văn bản trong danh sách.</source>
      <translation>Select a document in the list.</translation>
    </message>
    <message>
      <source>Tiếp nhận văn bản</source>
      <translation>Accept document</translation>
    </message>
    <message>
      <source>Trả lại văn bản</source>
      <translation>Return document</translation>
    </message>
    <message>
      <source>Lý do trả lại (gửi cho nơi gửi):</source>
      <translation>Reason for returning (sent to the sender):</translation>
    </message>
    <message>
      <source>Chờ tiếp nhận: {n}</source>
      <translation>Waiting: {n}</translation>
    </message>
    <message>
      <source>[THU HỒI] </source>
      <translation>[RECALLED] </translation>
    </message>
    <message>
      <source>Nơi gửi đã thu hồi văn bản này.</source>
      <translation>The sender has recalled this document.</translation>
    </message>
    <message>
      <source>Lý do</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>Văn bản quét (*.pdf *.tif *.tiff *.png *.jpg *.jpeg);;Mọi tệp (*)</source>
      <translation>Scanned documents (*.pdf *.tif *.tiff *.png *.jpg *.jpeg);;All files (*)</translation>
    </message>
    <message>
      <source>Quét (F6)</source>
      <translation>Scan (F6)</translation>
    </message>
    <message>
      <source>Tìm máy quét</source>
      <translation>Find scanners</translation>
    </message>
    <message>
      <source>Chọn tệp… (Ctrl+O)</source>
      <translation>Choose files… (Ctrl+O)</translation>
    </message>
    <message>
      <source>Hồ sơ quét: máy, khay, độ phân giải và màu đã lưu, chọn một lần là xong</source>
      <translation>Scan profile: saved scanner, tray, resolution and colour, chosen in one step</translation>
    </message>
    <message>
      <source>Lưu hồ sơ…</source>
      <translation>Save profile…</translation>
    </message>
    <message>
      <source>hoặc kéo thả tệp PDF, TIFF, PNG, JPEG vào đây. Mỗi lần nhập là một văn bản.</source>
      <translation>or drop PDF, TIFF, PNG, JPEG files here. Each intake is one document.</translation>
    </message>
    <message>
      <source>Trang đang chọn hiện ở đây, cỡ lớn, để đối chiếu.</source>
      <translation>The selected page appears here, large, for checking.</translation>
    </message>
    <message>
      <source>Chưa có trang nào.</source>
      <translation>No pages yet.</translation>
    </message>
    <message>
      <source>Đăng ký văn bản này…</source>
      <translation>Register this document…</translation>
    </message>
    <message>
      <source>(chưa chọn hồ sơ)</source>
      <translation>(no profile chosen)</translation>
    </message>
    <message>
      <source>Đang tìm máy quét…</source>
      <translation>Looking for scanners…</translation>
    </message>
    <message>
      <source>Đang quét…</source>
      <translation>Scanning…</translation>
    </message>
    <message>
      <source>Chọn tệp văn bản</source>
      <translation>Choose document files</translation>
    </message>
    <message>
      <source>Đang mở tệp…</source>
      <translation>Opening the file…</translation>
    </message>
    <message>
      <source>Đang nhận dạng chữ…</source>
      <translation>Reading text (OCR)…</translation>
    </message>
    <message>
      <source>Không thực hiện được.</source>
      <translation>Could not be done.</translation>
    </message>
    <message>
      <source>Nhập văn bản giấy</source>
      <translation>Paper document intake</translation>
    </message>
    <message>
      <source>Văn bản đi từ tệp PDF</source>
      <translation>Outgoing document from a PDF</translation>
    </message>
    <message>
      <source>Mặt kính</source>
      <translation>Flatbed</translation>
    </message>
    <message>
      <source>Khay nạp giấy</source>
      <translation>Document feeder</translation>
    </message>
    <message>
      <source>Hai mặt</source>
      <translation>Duplex</translation>
    </message>
    <message>
      <source>Xám</source>
      <translation>Grey</translation>
    </message>
    <message>
      <source>Màu</source>
      <translation>Colour</translation>
    </message>
    <message>
      <source>Hồ sơ quét</source>
      <translation>Scan profile</translation>
    </message>
    <message>
      <source>Máy quét</source>
      <translation>Scanner</translation>
    </message>
    <message>
      <source>⟲ Xoay trái</source>
      <translation>⟲ Rotate left</translation>
    </message>
    <message>
      <source>Xoay trái trang đang chọn</source>
      <translation>Rotate the selected page left</translation>
    </message>
    <message>
      <source>⟳ Xoay phải</source>
      <translation>⟳ Rotate right</translation>
    </message>
    <message>
      <source>Xoay phải trang đang chọn</source>
      <translation>Rotate the selected page right</translation>
    </message>
    <message>
      <source>▲ Lên</source>
      <translation>▲ Up</translation>
    </message>
    <message>
      <source>Đưa trang lên trước</source>
      <translation>Move the page up</translation>
    </message>
    <message>
      <source>▼ Xuống</source>
      <translation>▼ Down</translation>
    </message>
    <message>
      <source>Đưa trang xuống sau</source>
      <translation>Move the page down</translation>
    </message>
    <message>
      <source>Xóa trang</source>
      <translation>Delete page</translation>
    </message>
    <message>
      <source>Bỏ trang đang chọn khỏi văn bản</source>
      <translation>Remove the selected page from the document</translation>
    </message>
    <message>
      <source>Quét chèn sau trang này</source>
      <translation>Scan and insert after this page</translation>
    </message>
    <message>
      <source>Quét lại một trang và chèn vào sau trang đang chọn</source>
      <translation>Scan one page again and insert it after the selected page</translation>
    </message>
    <message>
      <source>Chuẩn bị nhận dạng chữ</source>
      <translation>Preparing text recognition</translation>
    </message>
    <message>
      <source>Lưu hồ sơ quét</source>
      <translation>Save scan profile</translation>
    </message>
    <message>
      <source>Tên hồ sơ (ví dụ: Công văn 1 mặt):</source>
      <translation>Profile name (e.g. Letters, one side):</translation>
    </message>
    <message>
      <source>Không tìm thấy máy quét nào.</source>
      <translation>No scanner found.</translation>
    </message>
    <message>
      <source>Chưa chọn máy quét: bấm «Tìm máy quét» trước.</source>
      <translation>No scanner chosen: press «Find scanners» first.</translation>
    </message>
    <message>
      <source>Đang quét</source>
      <translation>Scanning</translation>
    </message>
    <message>
      <source>Nhận dạng chữ</source>
      <translation>Text recognition</translation>
    </message>
    <message>
      <source>Đang dừng…</source>
      <translation>Stopping…</translation>
    </message>
    <message>
      <source>Trang này có vẻ trắng: bỏ chọn để loại khỏi bản số hóa, chọn lại để giữ.</source>
      <translation>This page looks blank: unchecked pages are left out of the digitized copy; check it to keep it.</translation>
    </message>
    <message>
      <source>Đã có gợi ý từ trang đầu; đang đọc các trang còn lại…</source>
      <translation>Suggestions from page 1 are ready; reading the other pages…</translation>
    </message>
    <message>
      <source>Mở biểu mẫu ngay (vẫn đọc tiếp)</source>
      <translation>Open the form now (still reading)</translation>
    </message>
    <message>
      <source>{n} trang.</source>
      <translation>{n} pages.</translation>
    </message>
    <message>
      <source>Đã đọc xong {n} trang.</source>
      <translation>Read all {n} pages.</translation>
    </message>
    <message>
      <source>Tìm thấy {n} máy quét.</source>
      <translation>Found {n} scanners.</translation>
    </message>
    <message>
      <source>Trang {n}</source>
      <translation>Page {n}</translation>
    </message>
    <message>
      <source>Đã đọc {d}/{t} trang…</source>
      <translation>Read {d}/{t} pages…</translation>
    </message>
    <message>
      <source>Trang {n} — trắng?</source>
      <translation>Page {n} — blank?</translation>
    </message>
    <message>
      <source>Độ tin cậy nhận dạng: {c:.0%}</source>
      <translation>Recognition confidence: {c:.0%}</translation>
    </message>
    <message>
      <source>Trang {p} có vẻ trắng và đã được bỏ chọn. Xem lại rồi chọn lại nếu cần giữ.</source>
      <translation>Page {p} looks blank and was unchecked. Review, and check it again to keep it.</translation>
    </message>
    <message>
      <source>Đã giữ {n} trang quét được trước khi máy báo lỗi.</source>
      <translation>Kept the {n} pages scanned before the scanner reported an error.</translation>
    </message>
    <message>
      <source>{n} văn bản chưa chuyển xử lý</source>
      <translation>{n} documents not yet handed over</translation>
    </message>
    <message>
      <source>{n} văn bản đã ký, chưa phát hành</source>
      <translation>{n} documents signed, not yet released</translation>
    </message>
    <message>
      <source>{n} văn bản điện tử chờ tiếp nhận</source>
      <translation>{n} electronic documents waiting</translation>
    </message>
    <message>
      <source>{n} văn bản đang gửi hoặc gửi lỗi</source>
      <translation>{n} documents being sent or failed</translation>
    </message>
    <message>
      <source>Tra cứu</source>
      <translation>Search</translation>
    </message>
    <message>
      <source>Hàng đợi gửi</source>
      <translation>Outbox</translation>
    </message>
    <message>
      <source>Sổ và in sổ</source>
      <translation>Register books</translation>
    </message>
    <message>
      <source>Cài đặt</source>
      <translation>Settings</translation>
    </message>
    <message>
      <source>&amp;Tệp</source>
      <translation>&amp;File</translation>
    </message>
    <message>
      <source>&amp;Văn bản</source>
      <translation>&amp;Documents</translation>
    </message>
    <message>
      <source>&amp;Xem</source>
      <translation>&amp;View</translation>
    </message>
    <message>
      <source>Trợ &amp;giúp</source>
      <translation>&amp;Help</translation>
    </message>
    <message>
      <source>Nhập văn bản giấy (quét hoặc chọn tệp)…</source>
      <translation>Paper intake (scan or choose files)…</translation>
    </message>
    <message>
      <source>Đăng ký văn bản đến…</source>
      <translation>Register incoming…</translation>
    </message>
    <message>
      <source>Văn bản đi từ tệp PDF lãnh đạo đã ký…</source>
      <translation>Outgoing from the PDF the leader signed…</translation>
    </message>
    <message>
      <source>Đăng ký văn bản đi…</source>
      <translation>Register outgoing…</translation>
    </message>
    <message>
      <source>Ký số và phát hành văn bản đi đang chọn…</source>
      <translation>Sign and dispatch selected outgoing document…</translation>
    </message>
    <message>
      <source>Hủy số văn bản đang chọn…</source>
      <translation>Void selected document…</translation>
    </message>
    <message>
      <source>Tìm kiếm</source>
      <translation>Search</translation>
    </message>
    <message>
      <source>Tra cứu nâng cao…</source>
      <translation>Advanced search…</translation>
    </message>
    <message>
      <source>Làm mới</source>
      <translation>Refresh</translation>
    </message>
    <message>
      <source>Thoát</source>
      <translation>Quit</translation>
    </message>
    <message>
      <source>Tự kiểm tra máy…</source>
      <translation>Self-test…</translation>
    </message>
    <message>
      <source>Phím tắt</source>
      <translation>Keyboard shortcuts</translation>
    </message>
    <message>
      <source>Giới thiệu</source>
      <translation>About</translation>
    </message>
    <message>
      <source>Báo cáo lỗi lần trước</source>
      <translation>Error report from last time</translation>
    </message>
    <message>
      <source>Lỗi không mong đợi</source>
      <translation>Unexpected error</translation>
    </message>
    <message>
      <source>Ký số</source>
      <translation>Signing</translation>
    </message>
    <message>
      <source>Hãy chọn một văn bản đi trong sổ trước.</source>
      <translation>Select an outgoing document in the register first.</translation>
    </message>
    <message>
      <source>Hãy chọn một văn bản trong sổ trước.</source>
      <translation>Select a document in the register first.</translation>
    </message>
    <message>
      <source>Chuyển màn hình</source>
      <translation>Switch screen</translation>
    </message>
    <message>
      <source>Tra cứu nâng cao</source>
      <translation>Advanced search</translation>
    </message>
    <message>
      <source>Văn bản đi từ tệp PDF đã ký</source>
      <translation>Outgoing document from a signed PDF</translation>
    </message>
    <message>
      <source>Xem văn bản đang chọn</source>
      <translation>Open selected document</translation>
    </message>
    <message>
      <source>Ký số và phát hành văn bản đi</source>
      <translation>Sign and dispatch outgoing document</translation>
    </message>
    <message>
      <source>Hủy số văn bản đang chọn</source>
      <translation>Void selected document</translation>
    </message>
    <message>
      <source>Đăng ký (trong biểu mẫu)</source>
      <translation>Register (in the form)</translation>
    </message>
    <message>
      <source>Tự kiểm tra máy</source>
      <translation>Self-test</translation>
    </message>
    <message>
      <source>Văn thư — {org}</source>
      <translation>Văn thư — {org}</translation>
    </message>
    <message>
      <source>Lần trước chương trình gặp lỗi không mong đợi ({n} lần). Dữ liệu đã đăng ký vẫn nguyên vẹn. Hãy sao chép chi tiết và gửi cho quản trị viên.</source>
      <translation>Last time the program hit an unexpected error ({n} times). Registered data is intact. Please copy the details and send them to the administrator.</translation>
    </message>
    <message>
      <source>Đã xảy ra lỗi không mong đợi; chương trình vẫn tiếp tục chạy. Chi tiết đã ghi vào {p}.</source>
      <translation>An unexpected error occurred; the program keeps running. Details were written to {p}.</translation>
    </message>
    <message>
      <source>Văn thư {v}
Dữ liệu: {d}</source>
      <translation>Văn thư {v}
Data: {d}</translation>
    </message>
    <message>
      <source>nhật ký</source>
      <translation>the log</translation>
    </message>
    <message>
      <source>Đã xảy ra lỗi không mong đợi. Hãy sao chép chi tiết và gửi cho quản trị viên.</source>
      <translation>An unexpected error occurred. Please copy the details and send them to the administrator.</translation>
    </message>
    <message>
      <source>Sao chép chi tiết</source>
      <translation>Copy details</translation>
    </message>
    <message>
      <source>Xem chi tiết</source>
      <translation>Show details</translation>
    </message>
    <message>
      <source>Đã sao chép</source>
      <translation>Copied</translation>
    </message>
    <message>
      <source>Không thực hiện được</source>
      <translation>Could not be done</translation>
    </message>
    <message>
      <source>Gửi văn bản</source>
      <translation>Send document</translation>
    </message>
    <message>
      <source>Báo trạng thái xử lý</source>
      <translation>Report processing status</translation>
    </message>
    <message>
      <source>Đồng bộ sổ: đăng ký</source>
      <translation>Register sync: registration</translation>
    </message>
    <message>
      <source>Đồng bộ sổ: sửa thông tin</source>
      <translation>Register sync: correction</translation>
    </message>
    <message>
      <source>Đồng bộ sổ: hủy số</source>
      <translation>Register sync: void</translation>
    </message>
    <message>
      <source>Đồng bộ sổ: đổi trạng thái</source>
      <translation>Register sync: status change</translation>
    </message>
    <message>
      <source>Đồng bộ sổ: thêm tệp</source>
      <translation>Register sync: file added</translation>
    </message>
    <message>
      <source>Chờ gửi</source>
      <translation>Waiting</translation>
    </message>
    <message>
      <source>Lỗi, tạm dừng</source>
      <translation>Failed, paused</translation>
    </message>
    <message>
      <source>Đã gửi</source>
      <translation>Sent</translation>
    </message>
    <message>
      <source>Làm mới (F5)</source>
      <translation>Refresh (F5)</translation>
    </message>
    <message>
      <source>Gửi ngay</source>
      <translation>Send now</translation>
    </message>
    <message>
      <source>Gửi ngay những mục đang chờ và nhận văn bản mới.</source>
      <translation>Send what is waiting now and receive new documents.</translation>
    </message>
    <message>
      <source>Hiện từng mục đồng bộ sổ</source>
      <translation>Show register sync items one by one</translation>
    </message>
    <message>
      <source>Đồng bộ sổ lên máy chủ tỉnh: đã xong.</source>
      <translation>Register sync to the provincial server: done.</translation>
    </message>
    <message>
      <source>STT</source>
      <translation>#</translation>
    </message>
    <message>
      <source>Việc</source>
      <translation>Action</translation>
    </message>
    <message>
      <source>Văn bản</source>
      <translation>Document</translation>
    </message>
    <message>
      <source>Tạo lúc</source>
      <translation>Created</translation>
    </message>
    <message>
      <source>Số lần thử</source>
      <translation>Attempts</translation>
    </message>
    <message>
      <source>Lỗi gần nhất</source>
      <translation>Last error</translation>
    </message>
    <message>
      <source>Văn bản chờ gửi: {p} · Lỗi: {e} · Đã gửi: {d}</source>
      <translation>Documents waiting: {p} · Failed: {e} · Sent: {d}</translation>
    </message>
    <message>
      <source>Đồng bộ sổ lên máy chủ tỉnh: {n} mục chờ gửi (bản sao sổ để sao lưu, không phải văn bản gửi đi)</source>
      <translation>Register sync to the provincial server: {n} items waiting (a backup copy of the register, not documents sent)</translation>
    </message>
    <message>
      <source>{n} mục lỗi</source>
      <translation>{n} items failed</translation>
    </message>
    <message>
      <source>Đang hiển thị trang…</source>
      <translation>Showing the page…</translation>
    </message>
    <message>
      <source>Trang trước (Page Up)</source>
      <translation>Previous page (Page Up)</translation>
    </message>
    <message>
      <source>Trang sau (Page Down)</source>
      <translation>Next page (Page Down)</translation>
    </message>
    <message>
      <source>Trang {n}/{t}</source>
      <translation>Page {n}/{t}</translation>
    </message>
    <message>
      <source>Chức năng này chưa có trong phiên bản hiện tại.</source>
      <translation>This function is not available in the current version.</translation>
    </message>
    <message>
      <source>Tìm (không cần dấu): số, ký hiệu, trích yếu, cơ quan… (Ctrl+F)</source>
      <translation>Search (diacritics optional): number, notation, summary, issuer… (Ctrl+F)</translation>
    </message>
    <message>
      <source>Xem (Enter)</source>
      <translation>Open (Enter)</translation>
    </message>
    <message>
      <source>Mọi trạng thái</source>
      <translation>Any status</translation>
    </message>
    <message>
      <source>Mọi độ khẩn</source>
      <translation>Any urgency</translation>
    </message>
    <message>
      <source>Khẩn trở lên</source>
      <translation>Urgent and above</translation>
    </message>
    <message>
      <source>Thượng khẩn trở lên</source>
      <translation>Very urgent and above</translation>
    </message>
    <message>
      <source>Đăng ký văn bản đến (Ctrl+N)</source>
      <translation>Register incoming (Ctrl+N)</translation>
    </message>
    <message>
      <source>Đăng ký văn bản đi (Ctrl+Shift+N)</source>
      <translation>Register outgoing (Ctrl+Shift+N)</translation>
    </message>
    <message>
      <source>Quét, nhập văn bản giấy (Ctrl+O)</source>
      <translation>Scan or import paper (Ctrl+O)</translation>
    </message>
    <message>
      <source>Từ tệp PDF đã ký (Ctrl+Shift+O)</source>
      <translation>From a signed PDF (Ctrl+Shift+O)</translation>
    </message>
    <message>
      <source>Không có văn bản nào khớp với điều kiện tìm. Hãy bớt điều kiện hoặc chọn «Tất cả».</source>
      <translation>No document matches these conditions. Remove some conditions or choose «All».</translation>
    </message>
    <message>
      <source>{n} văn bản</source>
      <translation>{n} documents</translation>
    </message>
    <message>
      <source>Đang hiển thị {n} văn bản mới nhất — cuộn xuống để xem thêm</source>
      <translation>Showing the {n} newest documents — scroll down for more</translation>
    </message>
    <message>
      <source>Sổ văn bản đến chưa có văn bản nào.

Để bắt đầu: đặt văn bản giấy vào máy quét rồi bấm «Quét, nhập văn bản giấy» (Ctrl+O), hoặc bấm «Đăng ký văn bản đến» (Ctrl+N) để nhập tay. Văn bản điện tử nhận qua trục liên thông nằm ở mục «Chờ tiếp nhận».</source>
      <translation>The incoming register is empty.

To begin: put the paper document in the scanner and press «Scan or import paper» (Ctrl+O), or press «Register incoming» (Ctrl+N) to type it in. Electronic documents received through the exchange are under «Waiting to accept».</translation>
    </message>
    <message>
      <source>Sổ văn bản đi chưa có văn bản nào.

Để bắt đầu: bấm «Đăng ký văn bản đi» (Ctrl+Shift+N) để lấy số, hoặc «Từ tệp PDF đã ký» (Ctrl+Shift+O) khi lãnh đạo đã ký tệp.</source>
      <translation>The outgoing register is empty.

To begin: press «Register outgoing» (Ctrl+Shift+N) to take a number, or «From a signed PDF» (Ctrl+Shift+O) once the leader has signed the file.</translation>
    </message>
    <message>
      <source>Không đọc được sổ: {e}</source>
      <translation>Could not read the register: {e}</translation>
    </message>
    <message>
      <source>tổng cộng {t} trong sổ</source>
      <translation>{t} in total</translation>
    </message>
    <message>
      <source>Nhắc việc</source>
      <translation>Reminders</translation>
    </message>
    <message>
      <source>Chưa chuyển</source>
      <translation>Not forwarded</translation>
    </message>
    <message>
      <source>Chưa phát hành</source>
      <translation>Not dispatched</translation>
    </message>
    <message>
      <source>Không có việc quá hạn.</source>
      <translation>Nothing overdue.</translation>
    </message>
    <message>
      <source>đến hạn</source>
      <translation>due now</translation>
    </message>
    <message>
      <source>Nhắc việc ({n})</source>
      <translation>Reminders ({n})</translation>
    </message>
    <message>
      <source>Số đến {n}</source>
      <translation>Arrival no. {n}</translation>
    </message>
    <message>
      <source>Số {n}</source>
      <translation>No. {n}</translation>
    </message>
    <message>
      <source>quá hạn {d} ngày</source>
      <translation>{d} days overdue</translation>
    </message>
    <message>
      <source>Hạn: {d}</source>
      <translation>Due: {d}</translation>
    </message>
    <message>
      <source>quá hạn {h} giờ</source>
      <translation>{h} hours overdue</translation>
    </message>
    <message>
      <source>cơ quan ban hành hoặc nơi nhận</source>
      <translation>issuing body or recipient</translation>
    </message>
    <message>
      <source>Mọi loại</source>
      <translation>Any type</translation>
    </message>
    <message>
      <source>số, ký hiệu, trích yếu, người ký… (không cần dấu)</source>
      <translation>number, notation, summary, signer… (diacritics optional)</translation>
    </message>
    <message>
      <source>Tìm</source>
      <translation>Find</translation>
    </message>
    <message>
      <source>Xóa điều kiện</source>
      <translation>Clear conditions</translation>
    </message>
    <message>
      <source>Tra cứu văn bản</source>
      <translation>Document search</translation>
    </message>
    <message>
      <source>Đang tìm…</source>
      <translation>Searching…</translation>
    </message>
    <message>
      <source>Từ ngày</source>
      <translation>From</translation>
    </message>
    <message>
      <source>đến ngày</source>
      <translation>to</translation>
    </message>
    <message>
      <source>Loại</source>
      <translation>Kind</translation>
    </message>
    <message>
      <source>Cơ quan</source>
      <translation>Organization</translation>
    </message>
    <message>
      <source>Nội dung</source>
      <translation>Text</translation>
    </message>
    <message>
      <source>«Từ ngày» phải có dạng ngày/tháng/năm, ví dụ 01/11/2026.</source>
      <translation>«From» must be day/month/year, e.g. 01/11/2026.</translation>
    </message>
    <message>
      <source>«Đến ngày» phải có dạng ngày/tháng/năm, ví dụ 30/11/2026.</source>
      <translation>«To» must be day/month/year, e.g. 30/11/2026.</translation>
    </message>
    <message>
      <source>«Từ ngày» ({a}) sau «đến ngày» ({b}).</source>
      <translation>«From» ({a}) is after «to» ({b}).</translation>
    </message>
    <message>
      <source>Tìm thấy {n} văn bản.</source>
      <translation>Found {n} documents.</translation>
    </message>
    <message>
      <source>Đang hiển thị {n} văn bản mới nhất tìm thấy — cuộn xuống để xem thêm.</source>
      <translation>Showing the {n} newest documents found — scroll down for more.</translation>
    </message>
    <message>
      <source>{u} trở lên</source>
      <translation>{u} or higher</translation>
    </message>
    <message>
      <source>Tên cơ quan</source>
      <translation>Organization name</translation>
    </message>
    <message>
      <source>Mã định danh cơ quan</source>
      <translation>Organization identifier</translation>
    </message>
    <message>
      <source>Cơ quan chủ quản</source>
      <translation>Parent organization</translation>
    </message>
    <message>
      <source>Địa danh (dòng ngày tháng)</source>
      <translation>Place (date line)</translation>
    </message>
    <message>
      <source>Ký hiệu cơ quan (ví dụ UBND)</source>
      <translation>Organization notation (e.g. UBND)</translation>
    </message>
    <message>
      <source>Giờ làm việc</source>
      <translation>Working hours</translation>
    </message>
    <message>
      <source>Ngày nghỉ thêm</source>
      <translation>Extra days off</translation>
    </message>
    <message>
      <source>Ngày làm bù</source>
      <translation>Make-up working days</translation>
    </message>
    <message>
      <source>Địa chỉ trục liên thông</source>
      <translation>Exchange hub address</translation>
    </message>
    <message>
      <source>Giao thức</source>
      <translation>Protocol</translation>
    </message>
    <message>
      <source>Thời gian chờ (giây)</source>
      <translation>Timeout (seconds)</translation>
    </message>
    <message>
      <source>Định dạng ngày trong gói</source>
      <translation>Date format in packages</translation>
    </message>
    <message>
      <source>Tệp CA bổ sung</source>
      <translation>Extra CA file</translation>
    </message>
    <message>
      <source>Chu kỳ nhận văn bản (giây)</source>
      <translation>Receive interval (seconds)</translation>
    </message>
    <message>
      <source>Máy chủ tỉnh (sao lưu sổ)</source>
      <translation>Provincial server (register backup)</translation>
    </message>
    <message>
      <source>Tệp CA của máy chủ tỉnh</source>
      <translation>Provincial server's CA file</translation>
    </message>
    <message>
      <source>Thư viện PKCS#11</source>
      <translation>PKCS#11 library</translation>
    </message>
    <message>
      <source>Nhãn token</source>
      <translation>Token label</translation>
    </message>
    <message>
      <source>Nhãn chứng thư số cơ quan</source>
      <translation>Organization certificate label</translation>
    </message>
    <message>
      <source>Ảnh con dấu (PNG)</source>
      <translation>Seal image (PNG)</translation>
    </message>
    <message>
      <source>Đường kính con dấu (mm)</source>
      <translation>Seal diameter (mm)</translation>
    </message>
    <message>
      <source>Máy chủ dấu thời gian</source>
      <translation>Time-stamp server</translation>
    </message>
    <message>
      <source>Máy quét mặc định</source>
      <translation>Default scanner</translation>
    </message>
    <message>
      <source>Nguồn giấy</source>
      <translation>Paper source</translation>
    </message>
    <message>
      <source>Độ phân giải (dpi)</source>
      <translation>Resolution (dpi)</translation>
    </message>
    <message>
      <source>Chế độ màu</source>
      <translation>Colour mode</translation>
    </message>
    <message>
      <source>Ngôn ngữ giao diện</source>
      <translation>Interface language</translation>
    </message>
    <message>
      <source>ngày/tháng/năm, cách nhau bằng dấu phẩy (ví dụ 02/01/2026, 30/04/2026)</source>
      <translation>day/month/year, separated by commas (e.g. 02/01/2026, 30/04/2026)</translation>
    </message>
    <message>
      <source>ngày/tháng/năm, cách nhau bằng dấu phẩy (ví dụ 10/01/2026)</source>
      <translation>day/month/year, separated by commas (e.g. 10/01/2026)</translation>
    </message>
    <message>
      <source>Máy chủ</source>
      <translation>Server</translation>
    </message>
    <message>
      <source>Token và con dấu</source>
      <translation>Token and seal</translation>
    </message>
    <message>
      <source>Giao diện</source>
      <translation>Interface</translation>
    </message>
    <message>
      <source>VXP (trục quốc gia)</source>
      <translation>VXP (national hub)</translation>
    </message>
    <message>
      <source>Lưu</source>
      <translation>Save</translation>
    </message>
    <message>
      <source>Tạo sổ mới</source>
      <translation>New register</translation>
    </message>
    <message>
      <source>ví dụ qd (chữ thường không dấu)</source>
      <translation>e.g. qd (lower case, no diacritics)</translation>
    </message>
    <message>
      <source>ví dụ UBND</source>
      <translation>e.g. UBND</translation>
    </message>
    <message>
      <source>Số có năm (văn bản quy phạm pháp luật)</source>
      <translation>Number includes the year (legal normative documents)</translation>
    </message>
    <message>
      <source>Mã sổ</source>
      <translation>Register code</translation>
    </message>
    <message>
      <source>Loại sổ</source>
      <translation>Register kind</translation>
    </message>
    <message>
      <source>Tên sổ</source>
      <translation>Register title</translation>
    </message>
    <message>
      <source>Ký hiệu cơ quan</source>
      <translation>Issuer notation</translation>
    </message>
    <message>
      <source>Dành cho loại</source>
      <translation>For type</translation>
    </message>
    <message>
      <source>Tạo sổ</source>
      <translation>Create register</translation>
    </message>
    <message>
      <source>ký hiệu mới cho sổ đang chọn</source>
      <translation>new notation for the selected register</translation>
    </message>
    <message>
      <source>Đặt ký hiệu</source>
      <translation>Set notation</translation>
    </message>
    <message>
      <source>Tài khoản kết nối trục (lưu trong kho khóa của hệ điều hành)</source>
      <translation>Hub account (kept in the operating system's keyring)</translation>
    </message>
    <message>
      <source>Lưu tài khoản</source>
      <translation>Save account</translation>
    </message>
    <message>
      <source>Mã hệ thống</source>
      <translation>System id</translation>
    </message>
    <message>
      <source>Khóa bí mật</source>
      <translation>Secret key</translation>
    </message>
    <message>
      <source>Token, chứng thư số và con dấu</source>
      <translation>Token, certificate and seal</translation>
    </message>
    <message>
      <source>Dò tìm thư viện token trên máy</source>
      <translation>Detect token libraries on this machine</translation>
    </message>
    <message>
      <source>Dùng thư viện này</source>
      <translation>Use this library</translation>
    </message>
    <message>
      <source>Đọc chứng thư số trên token</source>
      <translation>Read the certificates on the token</translation>
    </message>
    <message>
      <source>Dùng chứng thư này</source>
      <translation>Use this certificate</translation>
    </message>
    <message>
      <source>Chọn ảnh con dấu…</source>
      <translation>Choose the seal image…</translation>
    </message>
    <message>
      <source>Chọn ảnh con dấu</source>
      <translation>Choose the seal image</translation>
    </message>
    <message>
      <source>Ảnh PNG (*.png)</source>
      <translation>PNG images (*.png)</translation>
    </message>
    <message>
      <source>Đã lưu.</source>
      <translation>Saved.</translation>
    </message>
    <message>
      <source>Mã</source>
      <translation>Code</translation>
    </message>
    <message>
      <source>Ký hiệu</source>
      <translation>Notation</translation>
    </message>
    <message>
      <source>Loại văn bản của dãy số</source>
      <translation>Document types of the series</translation>
    </message>
    <message>
      <source>Số cuối năm nay</source>
      <translation>Last number this year</translation>
    </message>
    <message>
      <source>Mỗi sổ có một dãy số riêng, bắt đầu lại từ 01 vào ngày 01 tháng 01 mỗi năm.</source>
      <translation>Each register has its own series, restarting at 01 on 1 January every year.</translation>
    </message>
    <message>
      <source>Chọn sổ</source>
      <translation>Choose a register</translation>
    </message>
    <message>
      <source>Hãy chọn một sổ trong bảng.</source>
      <translation>Select a register in the table.</translation>
    </message>
    <message>
      <source>Đã lưu tài khoản.</source>
      <translation>Account saved.</translation>
    </message>
    <message>
      <source>Chưa có tài khoản.</source>
      <translation>No account yet.</translation>
    </message>
    <message>
      <source>Chưa chọn thư viện token.</source>
      <translation>No token library chosen.</translation>
    </message>
    <message>
      <source>Đọc chứng thư số</source>
      <translation>Reading certificates</translation>
    </message>
    <message>
      <source>Do quản trị viên khóa</source>
      <translation>Locked by the administrator</translation>
    </message>
    <message>
      <source>chưa thấy token</source>
      <translation>no token seen</translation>
    </message>
    <message>
      <source>không có khóa ký</source>
      <translation>no signing key</translation>
    </message>
    <message>
      <source>Giờ làm việc phải có dạng 07:30-11:30,13:30-17:00.</source>
      <translation>Working hours must look like 07:30-11:30,13:30-17:00.</translation>
    </message>
    <message>
      <source>mọi loại</source>
      <translation>any type</translation>
    </message>
    <message>
      <source>Tìm thấy {n} thư viện dùng được.</source>
      <translation>Found {n} usable libraries.</translation>
    </message>
    <message>
      <source>cơ quan</source>
      <translation>organization</translation>
    </message>
    <message>
      <source>cá nhân</source>
      <translation>personal</translation>
    </message>
    <message>
      <source>{label}: {subject} ({kind}, hết hạn {until}){key}</source>
      <translation>{label}: {subject} ({kind}, expires {until}){key}</translation>
    </message>
    <message>
      <source>Không dùng được: {l}</source>
      <translation>Not usable: {l}</translation>
    </message>
    <message>
      <source>«{d}» không phải ngày dạng ngày/tháng/năm (ví dụ 02/01/2026).</source>
      <translation>«{d}» is not a date in day/month/year form (e.g. 02/01/2026).</translation>
    </message>
    <message>
      <source>Mã PIN của token</source>
      <translation>Token PIN</translation>
    </message>
    <message>
      <source>Nhập mã PIN</source>
      <translation>Enter the PIN</translation>
    </message>
    <message>
      <source>Ký</source>
      <translation>Sign</translation>
    </message>
    <message>
      <source>Ký số và phát hành</source>
      <translation>Sign and dispatch</translation>
    </message>
    <message>
      <source>Chưa chọn tệp.</source>
      <translation>No file chosen.</translation>
    </message>
    <message>
      <source>Chọn tệp PDF lãnh đạo đã ký…</source>
      <translation>Choose the PDF signed by the leader…</translation>
    </message>
    <message>
      <source>Ký số (Ctrl+Enter)</source>
      <translation>Sign (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>mỗi dòng một mã định danh nơi nhận, ví dụ 000.00.01.H53</source>
      <translation>one recipient identifier per line, e.g. 000.00.01.H53</translation>
    </message>
    <message>
      <source>Phát hành qua trục liên thông</source>
      <translation>Dispatch through the exchange hub</translation>
    </message>
    <message>
      <source>Nơi nhận (mã định danh)</source>
      <translation>Recipients (identifiers)</translation>
    </message>
    <message>
      <source>Đang kiểm tra chữ ký số…</source>
      <translation>Checking digital signatures…</translation>
    </message>
    <message>
      <source>Chọn tệp PDF</source>
      <translation>Choose PDF file</translation>
    </message>
    <message>
      <source>Đang đọc token…</source>
      <translation>Reading the token…</translation>
    </message>
    <message>
      <source>Đang kiểm tra tệp và đóng gói…</source>
      <translation>Checking files and packaging…</translation>
    </message>
    <message>
      <source>Tôi hiểu, vẫn thử</source>
      <translation>I understand, try anyway</translation>
    </message>
    <message>
      <source>Mã PIN chỉ dùng cho lần ký này và không được lưu.</source>
      <translation>The PIN is used for this signing only and is not stored.</translation>
    </message>
    <message>
      <source>DẤU</source>
      <translation>SEAL</translation>
    </message>
    <message>
      <source>Chưa chọn thư viện token: vào Cài đặt › Token và con dấu.</source>
      <translation>No token library chosen: go to Settings › Token and seal.</translation>
    </message>
    <message>
      <source>Ký số bản số hóa</source>
      <translation>Signing the digitized copy</translation>
    </message>
    <message>
      <source>Chữ ký có trong tệp</source>
      <translation>Signatures in the file</translation>
    </message>
    <message>
      <source>Không kiểm tra được chữ ký.</source>
      <translation>Could not check the signatures.</translation>
    </message>
    <message>
      <source>Chưa thấy chữ ký số của lãnh đạo trong tệp: kiểm tra lại trước khi ký (quy định yêu cầu chữ ký của lãnh đạo và của cơ quan).</source>
      <translation>No leader's digital signature found in the file: check before signing (the rules ask for the leader's and the organization's signatures).</translation>
    </message>
    <message>
      <source>Đang ký số…</source>
      <translation>Signing…</translation>
    </message>
    <message>
      <source>Cần ít nhất một nơi nhận (mã định danh).</source>
      <translation>At least one recipient (identifier) is needed.</translation>
    </message>
    <message>
      <source>Phát hành</source>
      <translation>Dispatch</translation>
    </message>
    <message>
      <source>Tệp: {n}</source>
      <translation>File: {n}</translation>
    </message>
    <message>
      <source>Con dấu: trang {p}, cách mép trái {x} mm, mép trên {y} mm. Kéo để chỉnh.</source>
      <translation>Seal: page {p}, {x} mm from the left edge, {y} mm from the top. Drag to adjust.</translation>
    </message>
    <message>
      <source>Token: {t}</source>
      <translation>Token: {t}</translation>
    </message>
    <message>
      <source>Ký số và phát hành — {r}</source>
      <translation>Sign and dispatch — {r}</translation>
    </message>
    <message>
      <source>Đã ký số{l}. Tệp đã ký được lưu vào văn bản.</source>
      <translation>Signed{l}. The signed file was saved with the document.</translation>
    </message>
    <message>
      <source>Sẽ bổ sung dữ liệu kiểm tra (B-LT) khi có mạng.</source>
      <translation>Validation data (B-LT) will be added when online.</translation>
    </message>
    <message>
      <source>Đã đưa vào hàng đợi gửi (mã văn bản {d}). Văn bản sẽ được gửi khi có mạng.</source>
      <translation>Queued for sending (document id {d}). It will be sent when online.</translation>
    </message>
    <message>
      <source>(token mặc định)</source>
      <translation>(default token)</translation>
    </message>
    <message>
      <source>Đọc token</source>
      <translation>Reading the token</translation>
    </message>
    <message>
      <source>Đang kiểm tra kết nối…</source>
      <translation>Checking connection…</translation>
    </message>
    <message>
      <source>Token: đang kiểm tra…</source>
      <translation>Token: checking…</translation>
    </message>
    <message>
      <source>Ngoại tuyến (chưa cấu hình máy chủ)</source>
      <translation>Offline (no server configured)</translation>
    </message>
    <message>
      <source>Trực tuyến</source>
      <translation>Online</translation>
    </message>
    <message>
      <source>Ngoại tuyến</source>
      <translation>Offline</translation>
    </message>
    <message>
      <source>Token: không rõ</source>
      <translation>Token: unknown</translation>
    </message>
    <message>
      <source>Việc nền: {n} đang chạy</source>
      <translation>Background jobs: {n} running</translation>
    </message>
    <message>
      <source>chờ gửi: {n} văn bản</source>
      <translation>waiting to send: {n} documents</translation>
    </message>
    <message>
      <source>sổ chờ đồng bộ: {n} mục</source>
      <translation>register waiting to sync: {n} items</translation>
    </message>
    <message>
      <source>lỗi gửi: {n}</source>
      <translation>failed: {n}</translation>
    </message>
    <message>
      <source>chờ tiếp nhận: {n}</source>
      <translation>received, waiting: {n}</translation>
    </message>
    <message>
      <source>đồng hồ lệch {s:+.0f} giây</source>
      <translation>clock off by {s:+.0f} s</translation>
    </message>
    <message>
      <source>Token: đã cắm</source>
      <translation>Token: present</translation>
    </message>
    <message>
      <source>Token: không có</source>
      <translation>Token: absent</translation>
    </message>
    <message>
      <source>Token: chưa cấu hình</source>
      <translation>Token: not configured</translation>
    </message>
    <message>
      <source>{n} chờ</source>
      <translation>{n} queued</translation>
    </message>
    <message>
      <source>Đồng bộ với trục liên thông</source>
      <translation>Sync with the exchange hub</translation>
    </message>
    <message>
      <source>Chưa đặt địa chỉ trục liên thông: vào Cài đặt › Máy chủ.</source>
      <translation>No exchange hub address: go to Settings › Server.</translation>
    </message>
    <message>
      <source>hợp lệ</source>
      <translation>valid</translation>
    </message>
    <message>
      <source>hợp lệ, có cảnh báo</source>
      <translation>valid, with warnings</translation>
    </message>
    <message>
      <source>KHÔNG hợp lệ</source>
      <translation>NOT valid</translation>
    </message>
    <message>
      <source>không có chữ ký số</source>
      <translation>no digital signature</translation>
    </message>
    <message>
      <source>Chữ ký cơ quan</source>
      <translation>Organization signature</translation>
    </message>
    <message>
      <source>Chữ ký cá nhân</source>
      <translation>Personal signature</translation>
    </message>
    <message>
      <source>Phóng to (Ctrl++)</source>
      <translation>Zoom in (Ctrl++)</translation>
    </message>
    <message>
      <source>Thu nhỏ (Ctrl+-)</source>
      <translation>Zoom out (Ctrl+-)</translation>
    </message>
    <message>
      <source>Không mở được tệp.</source>
      <translation>Could not open the file.</translation>
    </message>
    <message>
      <source>Chưa kiểm tra được chữ ký: phần ký số chưa có trong phiên bản này.</source>
      <translation>Signatures not checked: the signing part is not available in this version.</translation>
    </message>
    <message>
      <source>Trang {p}/{n}</source>
      <translation>Page {p}/{n}</translation>
    </message>
    <message>
      <source>Không mở được tệp {p}: tệp hỏng hoặc không phải PDF/ảnh.</source>
      <translation>Cannot open {p}: the file is damaged or not a PDF/image.</translation>
    </message>
    <message>
      <source>Không kiểm tra được chữ ký: {e}</source>
      <translation>Could not check signatures: {e}</translation>
    </message>
    <message>
      <source>Ký lúc {t}</source>
      <translation>Signed at {t}</translation>
    </message>
  </context>
</TS>