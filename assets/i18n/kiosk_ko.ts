<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>Alert</name>
    <message>
        <source>The shopper asked for help.</source>
        <translation>고객이 도움을 요청했습니다.</translation>
    </message>
    <message>
        <source>An item needs an age check.</source>
        <translation>연령 확인이 필요한 상품이 있습니다.</translation>
    </message>
    <message>
        <source>An item is not in the catalog: the shopper put it aside.</source>
        <translation>상품 목록에 없는 상품입니다: 고객이 따로 두었습니다.</translation>
    </message>
    <message>
        <source>A recalled item was scanned: take it from the shopper.</source>
        <translation>리콜 상품이 스캔되었습니다: 고객에게서 회수하세요.</translation>
    </message>
    <message>
        <source>An item may not be sold (past its date or not for sale): take it.</source>
        <translation>판매할 수 없는 상품(기한 경과 또는 판매 불가)이 있습니다: 회수하세요.</translation>
    </message>
    <message>
        <source>The shopper queries a price.</source>
        <translation>고객이 가격 문의를 했습니다.</translation>
    </message>
    <message>
        <source>The receipt printer is out of paper.</source>
        <translation>영수증 프린터에 용지가 없습니다.</translation>
    </message>
    <message>
        <source>The receipt printer is not working.</source>
        <translation>영수증 프린터가 작동하지 않습니다.</translation>
    </message>
    <message>
        <source>The camera stopped working.</source>
        <translation>카메라가 작동을 멈췄습니다.</translation>
    </message>
    <message>
        <source>A payment needs staff to confirm it.</source>
        <translation>직원 확인이 필요한 결제가 있습니다.</translation>
    </message>
    <message>
        <source>Bag check: check the bag, then sign out to give the exit code.</source>
        <translation>가방 확인: 가방을 확인한 뒤 로그아웃하면 출구 코드가 표시됩니다.</translation>
    </message>
    <message>
        <source>The shopper cannot get an item to scan.</source>
        <translation>고객이 상품을 스캔하지 못하고 있습니다.</translation>
    </message>
    <message>
        <source>The shopper wants an item taken off.</source>
        <translation>고객이 상품 삭제를 원합니다.</translation>
    </message>
    <message>
        <source>A group-buy order was collected: bring it to the shopper.</source>
        <translation>공동구매 주문이 수령되었습니다. 고객에게 가져다 주세요.</translation>
    </message>
    <message>
        <source>A group-buy pickup code was not accepted: check the order.</source>
        <translation>공동구매 수령 코드가 거부되었습니다. 주문을 확인해 주세요.</translation>
    </message>
    <message>
        <source>Age check: %1.</source>
        <translation>연령 확인: %1.</translation>
    </message>
    <message>
        <source>Unknown item, barcode %1: put aside.</source>
        <translation>미등록 상품, 바코드 %1: 따로 둠.</translation>
    </message>
    <message>
        <source>Recalled: %1. Take it.</source>
        <translation>리콜 상품: %1. 회수하세요.</translation>
    </message>
    <message>
        <source>Not for sale: %1. Take it.</source>
        <translation>판매 불가: %1. 회수하세요.</translation>
    </message>
    <message>
        <source>Line %1.</source>
        <translation>%1번 줄.</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <source>Scan your first item to start</source>
        <translation>첫 상품을 스캔하면 시작됩니다</translation>
    </message>
    <message>
        <source>Hold a barcode up to the camera. No need to touch the screen.</source>
        <translation>바코드를 카메라에 비춰 주세요. 화면을 누르지 않아도 됩니다.</translation>
    </message>
    <message>
        <source>Start ▶</source>
        <translation>시작 ▶</translation>
    </message>
    <message>
        <source>Members: scan the QR code in your app at any time for member prices.</source>
        <translation>회원: 언제든지 앱의 회원 QR 코드를 스캔하면 회원가가 적용됩니다.</translation>
    </message>
</context>
<context>
    <name>BagQuestion</name>
    <message>
        <source>Need a bag? %1 each</source>
        <translation>봉투가 필요하세요? 한 장에 %1</translation>
    </message>
    <message>
        <source>No, thanks</source>
        <translation>괜찮습니다</translation>
    </message>
    <message>
        <source>1 bag</source>
        <translation>1장</translation>
    </message>
    <message>
        <source>2 bags</source>
        <translation>2장</translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <source>Camera not working: use the hand scanner or ask staff</source>
        <translation>카메라 오류: 핸드 스캐너를 사용하거나 직원에게 문의하세요</translation>
    </message>
    <message>
        <source>Hold the barcode inside the frame</source>
        <translation>바코드를 프레임 안에 맞춰 주세요</translation>
    </message>
</context>
<context>
    <name>CartModel</name>
    <message>
        <source>price from label</source>
        <translation>라벨 가격</translation>
    </message>
    <message>
        <source>price changed by staff</source>
        <translation>직원이 가격 변경</translation>
    </message>
    <message>
        <source>You save %1</source>
        <translation>%1 할인</translation>
    </message>
    <message>
        <source>voided by staff</source>
        <translation>직원이 취소함</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>삭제됨</translation>
    </message>
</context>
<context>
    <name>CartView</name>
    <message>
        <source>Age check by staff</source>
        <translation>직원 연령 확인 필요</translation>
    </message>
</context>
<context>
    <name>ConfirmPanel</name>
    <message>
        <source>◀ Cancel</source>
        <translation>◀ 돌아가기</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <source>A member of staff will check your bag. Please wait here.</source>
        <translation>직원이 가방을 확인해 드립니다. 여기서 잠시 기다려 주세요.</translation>
    </message>
    <message>
        <source>Your exit code stays here until you have it: staff are on their way.</source>
        <translation>출구 코드는 받아 가실 때까지 화면에 남아 있습니다. 직원이 곧 옵니다.</translation>
    </message>
    <message>
        <source>This screen closes in %1 s. Touch it for more time.</source>
        <translation>이 화면은 %1초 후에 닫힙니다. 화면을 터치하면 시간이 늘어납니다.</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>감사합니다!</translation>
    </message>
    <message>
        <source>✓ Group-buy order %1 collected: 1 item</source>
        <translation>✓ 공동구매 주문 %1 수령: 1개</translation>
    </message>
    <message>
        <source>✓ Group-buy order %1 collected: %2 items</source>
        <translation>✓ 공동구매 주문 %1 수령: %2개</translation>
    </message>
    <message>
        <source>Prepaid: nothing to pay today.</source>
        <translation>선결제 완료: 오늘은 결제할 금액이 없습니다.</translation>
    </message>
    <message>
        <source>You paid %1.</source>
        <translation>결제 완료: %1</translation>
    </message>
    <message>
        <source>Sale %1 ⋅ %2</source>
        <translation>거래 %1 · %2</translation>
    </message>
    <message>
        <source>Would you like a receipt?</source>
        <translation>영수증이 필요하신가요?</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation>영수증 출력</translation>
    </message>
    <message>
        <source>✓ Done</source>
        <translation>✓ 완료</translation>
    </message>
    <message>
        <source>✓ I have my exit code</source>
        <translation>✓ 출구 코드를 받았습니다</translation>
    </message>
    <message>
        <source>✓ Done, no receipt</source>
        <translation>✓ 영수증 없이 완료</translation>
    </message>
    <message>
        <source>Your exit code: show it at the exit</source>
        <translation>출구 코드: 출구에서 보여 주세요</translation>
    </message>
    <message>
        <source>It is also printed on the receipt. Have a nice day!</source>
        <translation>영수증에도 인쇄됩니다. 좋은 하루 되세요!</translation>
    </message>
    <message>
        <source>Take a photo of it or show it to staff before you go.</source>
        <translation>나가시기 전에 사진을 찍거나 직원에게 보여 주세요.</translation>
    </message>
    <message>
        <source>Scan with your phone: receipt and exit code</source>
        <translation>휴대폰으로 스캔하세요: 영수증과 출구 코드</translation>
    </message>
    <message>
        <source>Show the exit code on your phone at the exit. Have a nice day!</source>
        <translation>출구에서 휴대폰의 출구 코드를 보여 주세요. 좋은 하루 되세요!</translation>
    </message>
    <message>
        <source>Scan the code with your phone, take a photo or show it to staff before you go.</source>
        <translation>나가시기 전에 휴대폰으로 코드를 스캔하거나, 사진을 찍거나, 직원에게 보여 주세요.</translation>
    </message>
    <message>
        <source>Bag check</source>
        <translation>가방 확인</translation>
    </message>
    <message>
        <source>Your exit code appears here once staff have checked your bag.</source>
        <translation>직원이 가방을 확인하면 출구 코드가 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Your exit code was not printed. Leave anyway?</source>
        <translation>출구 코드가 인쇄되지 않았습니다. 그래도 나가시겠습니까?</translation>
    </message>
    <message>
        <source>Leave anyway</source>
        <translation>그래도 나가기</translation>
    </message>
    <message>
        <source>◀ Back to my exit code</source>
        <translation>◀ 출구 코드로 돌아가기</translation>
    </message>
</context>
<context>
    <name>Health</name>
    <message>
        <source>Camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>시작 안 됨</translation>
    </message>
    <message>
        <source>Camera frame rate</source>
        <translation>카메라 프레임 속도</translation>
    </message>
    <message>
        <source>Decoded frames per second</source>
        <translation>초당 디코딩 프레임</translation>
    </message>
    <message>
        <source>Decode time (median / 95th)</source>
        <translation>디코딩 시간 (중앙값 / 95%)</translation>
    </message>
    <message>
        <source>Dropped frames</source>
        <translation>누락 프레임</translation>
    </message>
    <message>
        <source>Camera reconnects</source>
        <translation>카메라 재연결</translation>
    </message>
    <message>
        <source>Scans</source>
        <translation>스캔 수</translation>
    </message>
    <message>
        <source>not used yet</source>
        <translation>아직 사용 안 함</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>정상</translation>
    </message>
    <message>
        <source>out of paper</source>
        <translation>용지 없음</translation>
    </message>
    <message>
        <source>error</source>
        <translation>오류</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>연결 안 됨</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>영수증 프린터</translation>
    </message>
    <message>
        <source>online</source>
        <translation>온라인</translation>
    </message>
    <message>
        <source>degraded</source>
        <translation>불안정</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>오프라인</translation>
    </message>
    <message>
        <source>not enrolled (stand-alone)</source>
        <translation>미등록 (단독 실행)</translation>
    </message>
    <message>
        <source>Central service</source>
        <translation>중앙 서비스</translation>
    </message>
    <message>
        <source>Waiting to sync</source>
        <translation>동기화 대기</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>마지막 동기화</translation>
    </message>
    <message>
        <source>never</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Updates refused</source>
        <translation>미적용 업데이트</translation>
    </message>
    <message>
        <source>{count}: update this kiosk</source>
        <translation>{count}건: 이 키오스크를 업데이트하세요</translation>
    </message>
    <message>
        <source>Last sync error</source>
        <translation>마지막 동기화 오류</translation>
    </message>
</context>
<context>
    <name>HealthModel</name>
    <message>
        <source>Check</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
</context>
<context>
    <name>KeyInPanel</name>
    <message>
        <source>Nothing found by that name.</source>
        <translation>그 이름의 상품이 없습니다.</translation>
    </message>
    <message>
        <source>Key in an item&apos;s code or a slip&apos;s 10-digit number, or search a name</source>
        <translation>상품 코드나 보류 전표의 10자리 번호를 입력하거나 이름으로 찾기</translation>
    </message>
    <message>
        <source>Add this code</source>
        <translation>이 코드 추가</translation>
    </message>
    <message>
        <source>Name (any language)</source>
        <translation>이름 (모든 언어)</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>찾기</translation>
    </message>
    <message>
        <source>◀ Cancel</source>
        <translation>◀ 돌아가기</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Delete</source>
        <translation>지우기</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>전체 삭제</translation>
    </message>
</context>
<context>
    <name>LockedScreen</name>
    <message>
        <source>This checkout is closed</source>
        <translation>이 계산대는 지금 이용할 수 없습니다</translation>
    </message>
    <message>
        <source>Please use another checkout. Thank you!</source>
        <translation>다른 계산대를 이용해 주세요. 감사합니다!</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Self-checkout</source>
        <translation>셀프 계산대</translation>
    </message>
    <message>
        <source>A+ Large text</source>
        <translation>A+ 큰 글씨</translation>
    </message>
    <message>
        <source>◐ Contrast</source>
        <translation>◐ 고대비</translation>
    </message>
    <message>
        <source>Spoken prompts</source>
        <translation>음성 안내</translation>
    </message>
    <message>
        <source>%1 is on the way ⋅ Cancel</source>
        <translation>%1 님이 오는 중 · 취소</translation>
    </message>
    <message>
        <source>%1 is on the way</source>
        <translation>%1 님이 오고 있습니다</translation>
    </message>
    <message>
        <source>Help is coming ⋅ Cancel</source>
        <translation>직원이 오는 중 · 취소</translation>
    </message>
    <message>
        <source>Help is coming</source>
        <translation>직원이 오고 있습니다</translation>
    </message>
    <message>
        <source>Call for help</source>
        <translation>직원 호출</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>직원</translation>
    </message>
</context>
<context>
    <name>MemberScreen</name>
    <message>
        <source>✓ Using %1 points: tap to keep them</source>
        <translation>✓ %1 포인트 사용 중: 탭하면 포인트를 남겨 둡니다</translation>
    </message>
    <message>
        <source>Use %1 points on this purchase</source>
        <translation>이번 구매에 %1 포인트 사용</translation>
    </message>
    <message>
        <source>In your cart: %1</source>
        <translation>장바구니에 담김: %1</translation>
    </message>
    <message>
        <source>Member prices</source>
        <translation>회원가</translation>
    </message>
    <message>
        <source>Have the app? Scan your member QR code</source>
        <translation>앱이 있으신가요? 회원 QR 코드를 스캔하세요</translation>
    </message>
    <message>
        <source>Open the store app, tap &quot;Member code&quot; and hold it up to the camera.</source>
        <translation>매장 앱을 열고 &quot;회원 코드&quot;를 누른 뒤 카메라에 비춰 주세요.</translation>
    </message>
    <message>
        <source>Or enter your phone number</source>
        <translation>또는 휴대폰 번호를 입력하세요</translation>
    </message>
    <message>
        <source>Find my membership</source>
        <translation>내 회원 정보 찾기</translation>
    </message>
    <message>
        <source>I agree to the member terms and to the store keeping my phone number.</source>
        <translation>회원 약관과 매장의 휴대폰 번호 보관에 동의합니다.</translation>
    </message>
    <message>
        <source>New? Sign up in one step with the phone number</source>
        <translation>처음이신가요? 휴대폰 번호로 바로 가입하세요</translation>
    </message>
    <message>
        <source>Sign up now (free)</source>
        <translation>지금 가입 (무료)</translation>
    </message>
    <message>
        <source>◀ Back to my items</source>
        <translation>◀ 내 상품으로 돌아가기</translation>
    </message>
    <message>
        <source>Member level</source>
        <translation>회원 등급</translation>
    </message>
    <message>
        <source>Your points</source>
        <translation>내 포인트</translation>
    </message>
    <message>
        <source>Your coupons</source>
        <translation>내 쿠폰</translation>
    </message>
    <message>
        <source>Tap a coupon to use it on this purchase.</source>
        <translation>쿠폰을 누르면 이번 구매에 사용됩니다.</translation>
    </message>
    <message>
        <source>No coupons in your wallet right now.</source>
        <translation>지금은 쿠폰함에 쿠폰이 없습니다.</translation>
    </message>
</context>
<context>
    <name>Offers</name>
    <message>
        <source>Scan your member code to use it</source>
        <translation>회원 코드를 스캔하면 사용할 수 있습니다</translation>
    </message>
    <message>
        <source>Nothing in your cart matches it yet</source>
        <translation>아직 장바구니에 해당 상품이 없습니다</translation>
    </message>
    <message>
        <source>Not combined: a better coupon applies</source>
        <translation>중복 불가: 더 유리한 쿠폰이 적용됨</translation>
    </message>
    <message>
        <source>%1 points</source>
        <translation>%1 포인트</translation>
    </message>
    <message>
        <source>%1 more offers</source>
        <translation>혜택 %1개 더</translation>
    </message>
    <message>
        <source>Coupon: %1</source>
        <translation>쿠폰: %1</translation>
    </message>
    <message>
        <source>spend %1 more to use it</source>
        <translation>%1 더 구매하면 사용 가능</translation>
    </message>
    <message>
        <source>Spend %1 more and save %2: %3</source>
        <translation>%1 더 구매하면 %2 할인: %3</translation>
    </message>
    <message>
        <source>Add %1 more and save %2: %3</source>
        <translation>%1개 더 담으면 %2 할인: %3</translation>
    </message>
    <message>
        <source>Points as last known here: purchases elsewhere may not show yet.</source>
        <translation>마지막으로 확인된 포인트입니다. 다른 곳에서 구매한 내역은 아직 반영되지 않았을 수 있습니다.</translation>
    </message>
    <message>
        <source>Hello, member %1</source>
        <translation>안녕하세요, %1 회원님</translation>
    </message>
</context>
<context>
    <name>OffersPanel</name>
    <message>
        <source>Take this coupon off</source>
        <translation>이 쿠폰 사용 취소</translation>
    </message>
</context>
<context>
    <name>PaymentScreen</name>
    <message>
        <source>Code valid for %1</source>
        <translation>QR 코드 유효 시간 %1</translation>
    </message>
    <message>
        <source>Checking whether the payment came through…</source>
        <translation>결제가 완료되었는지 확인하는 중…</translation>
    </message>
    <message>
        <source>Pay by scanning a QR code instead</source>
        <translation>대신 QR 코드를 스캔해 결제</translation>
    </message>
    <message>
        <source>Enter %1 in your wallet</source>
        <translation>결제 앱에서 금액을 입력하세요: %1</translation>
    </message>
    <message>
        <source>Scan the store&apos;s code with WeChat or Alipay and type in %1</source>
        <translation>위챗 또는 알리페이로 매장 QR 코드를 스캔하고 금액을 입력하세요: %1</translation>
    </message>
    <message>
        <source>The kiosk is offline, so this code has no amount in it. After paying, show your phone to a member of staff: they check that %1 went to this store just now, then confirm your payment.</source>
        <translation>키오스크가 오프라인이라 이 코드에는 금액이 없습니다. 결제 후 직원에게 휴대폰을 보여 주세요. 직원이 방금 이 매장으로 결제된 금액(%1)을 확인한 뒤 결제를 승인합니다.</translation>
    </message>
    <message>
        <source>Show your payment code</source>
        <translation>결제 코드를 보여 주세요</translation>
    </message>
    <message>
        <source>Hold the payment code from WeChat or Alipay to the scanner</source>
        <translation>위챗 또는 알리페이의 결제 코드를 스캐너에 대 주세요</translation>
    </message>
    <message>
        <source>In WeChat: Me › Pay and Services › Money. In Alipay: Pay/Receive.</source>
        <translation>위챗: 나 › 서비스 › 결제/수금. 알리페이: 결제/수금.</translation>
    </message>
    <message>
        <source>Confirm the payment on your phone</source>
        <translation>휴대폰에서 결제를 확인하세요</translation>
    </message>
    <message>
        <source>Charging your payment code…</source>
        <translation>결제 코드로 결제하는 중…</translation>
    </message>
    <message>
        <source>Enter your password or confirm in the app if it asks</source>
        <translation>요청하면 앱에서 비밀번호를 입력하거나 확인하세요</translation>
    </message>
    <message>
        <source>One moment, please</source>
        <translation>잠시만 기다려 주세요</translation>
    </message>
    <message>
        <source>Nothing is charged twice. If it does not go through, you are not charged.</source>
        <translation>두 번 결제되지 않습니다. 결제가 되지 않으면 청구되지 않습니다.</translation>
    </message>
    <message>
        <source>Scan to pay</source>
        <translation>QR 코드로 결제</translation>
    </message>
    <message>
        <source>Preparing the QR code to scan…</source>
        <translation>결제용 QR 코드를 준비하는 중…</translation>
    </message>
    <message>
        <source>You can also show your WeChat or Alipay payment code.</source>
        <translation>위챗 또는 알리페이 결제 코드를 보여 주셔도 됩니다.</translation>
    </message>
    <message>
        <source>Scan this code with your wallet app</source>
        <translation>결제 앱으로 이 QR 코드를 스캔하세요</translation>
    </message>
    <message>
        <source>Payment is confirmed automatically. Please wait on this screen. You can also show your WeChat or Alipay payment code.</source>
        <translation>결제는 자동으로 확인됩니다. 이 화면에서 기다려 주세요. 위챗 또는 알리페이 결제 코드를 보여 주셔도 됩니다.</translation>
    </message>
    <message>
        <source>Amount to pay</source>
        <translation>결제 금액</translation>
    </message>
    <message>
        <source>✕ Cancel payment, back to my items</source>
        <translation>✕ 결제 취소, 상품으로 돌아가기</translation>
    </message>
</context>
<context>
    <name>Picker</name>
    <message>
        <source>Fruit &amp; vegetables</source>
        <translation>과일·채소</translation>
    </message>
    <message>
        <source>Bakery</source>
        <translation>베이커리</translation>
    </message>
    <message>
        <source>Meat</source>
        <translation>정육</translation>
    </message>
    <message>
        <source>Fish &amp; seafood</source>
        <translation>수산</translation>
    </message>
    <message>
        <source>Deli</source>
        <translation>즉석식품</translation>
    </message>
    <message>
        <source>Bulk foods</source>
        <translation>벌크 식품</translation>
    </message>
    <message>
        <source>Latin letters</source>
        <translation>영문 자판</translation>
    </message>
    <message>
        <source>Korean initial consonants</source>
        <translation>한글 초성</translation>
    </message>
</context>
<context>
    <name>PickerScreen</name>
    <message>
        <source>All</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>Name, pinyin or PLU…</source>
        <translation>상품명, 초성 또는 PLU 번호…</translation>
    </message>
    <message>
        <source>Look up an item without a barcode</source>
        <translation>바코드 없는 상품 찾기</translation>
    </message>
    <message>
        <source>◀ Back to my items</source>
        <translation>◀ 내 상품으로 돌아가기</translation>
    </message>
    <message>
        <source>One fewer</source>
        <translation>하나 빼기</translation>
    </message>
    <message>
        <source>One more</source>
        <translation>하나 더</translation>
    </message>
    <message>
        <source>Add to my items</source>
        <translation>내 상품에 담기</translation>
    </message>
    <message>
        <source>Nothing found. Try fewer letters, or ask a member of staff.</source>
        <translation>찾는 상품이 없습니다. 글자를 줄여 보시거나 직원에게 문의해 주세요.</translation>
    </message>
</context>
<context>
    <name>PickupRow</name>
    <message>
        <source>One fewer</source>
        <translation>하나 빼기</translation>
    </message>
    <message>
        <source>One more</source>
        <translation>하나 더</translation>
    </message>
    <message>
        <source>%1 in your order</source>
        <translation>주문 수량 %1개</translation>
    </message>
    <message>
        <source>%1 of %2 still to collect</source>
        <translation>%2개 중 %1개 남음</translation>
    </message>
</context>
<context>
    <name>PickupScreen</name>
    <message>
        <source>Collected now: %1</source>
        <translation>이번에 수령: %1개</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 돌아가기</translation>
    </message>
    <message>
        <source>Take everything</source>
        <translation>모두 수령</translation>
    </message>
    <message>
        <source>Continue shopping</source>
        <translation>쇼핑 계속하기</translation>
    </message>
    <message>
        <source>Group-buy pickup</source>
        <translation>공동구매 수령</translation>
    </message>
    <message>
        <source>Order %1</source>
        <translation>주문 %1</translation>
    </message>
    <message>
        <source>! This order cannot be collected here</source>
        <translation>! 이 주문은 여기서 수령할 수 없습니다</translation>
    </message>
    <message>
        <source>Your group-buy order</source>
        <translation>공동구매 주문</translation>
    </message>
    <message>
        <source>Choose what to take now and tap Collect: staff will bring it to you.</source>
        <translation>지금 수령할 상품을 고르고 &apos;수령&apos;을 누르세요. 직원이 가져다 드립니다.</translation>
    </message>
    <message>
        <source>Choose what to take now and tap Collect. Your bag is on the pickup shelf, labelled %1.</source>
        <translation>지금 수령할 상품을 고르고 &apos;수령&apos;을 누르세요. 봉투는 수령 선반에 있으며 라벨은 %1입니다.</translation>
    </message>
    <message>
        <source>Collect %1 items ✓</source>
        <translation>%1개 수령 ✓</translation>
    </message>
    <message>
        <source>Collect 1 item ✓</source>
        <translation>1개 수령 ✓</translation>
    </message>
    <message>
        <source>Choose items to collect</source>
        <translation>수령할 상품을 고르세요</translation>
    </message>
    <message>
        <source>✓ Collected</source>
        <translation>✓ 수령 완료</translation>
    </message>
    <message>
        <source>Staff are bringing your item. Please wait here.</source>
        <translation>직원이 상품 1개를 가져다 드립니다. 여기서 잠시 기다려 주세요.</translation>
    </message>
    <message>
        <source>Staff are bringing your %1 items. Please wait here.</source>
        <translation>직원이 상품 %1개를 가져다 드립니다. 여기서 잠시 기다려 주세요.</translation>
    </message>
    <message>
        <source>Take your item from the pickup shelf: the bag labelled %2.</source>
        <translation>수령 선반에서 상품 1개를 가져가세요. 라벨 %2 봉투입니다.</translation>
    </message>
    <message>
        <source>Take your %1 items from the pickup shelf: the bag labelled %2.</source>
        <translation>수령 선반에서 상품 %1개를 가져가세요. 라벨 %2 봉투입니다.</translation>
    </message>
    <message>
        <source>1 item stays for later: scan the same code again to collect it.</source>
        <translation>1개는 다음에 수령할 수 있습니다. 같은 코드를 다시 스캔하세요.</translation>
    </message>
    <message>
        <source>%1 items stay for later: scan the same code again to collect them.</source>
        <translation>%1개는 다음에 수령할 수 있습니다. 같은 코드를 다시 스캔하세요.</translation>
    </message>
    <message>
        <source>Pay for my items</source>
        <translation>상품 결제하기</translation>
    </message>
    <message>
        <source>Done: show my exit pass</source>
        <translation>완료: 출구 코드 보기</translation>
    </message>
</context>
<context>
    <name>PricePanel</name>
    <message>
        <source>◀ Cancel</source>
        <translation>◀ 돌아가기</translation>
    </message>
    <message>
        <source>New price for line %1: %2</source>
        <translation>%1번 줄의 새 가격: %2</translation>
    </message>
    <message>
        <source>Shelf price %1. Allowed: %2 to %3 per unit.</source>
        <translation>정가 %1. 허용 범위: 단위당 %2 ~ %3.</translation>
    </message>
    <message>
        <source>Set price %1</source>
        <translation>가격 변경: %1</translation>
    </message>
    <message>
        <source>Type the new price</source>
        <translation>새 가격을 입력하세요</translation>
    </message>
</context>
<context>
    <name>Prompt</name>
    <message>
        <source>Welcome. Hold each item&apos;s barcode up to the camera. When you are done, tap Pay now, at the bottom right.</source>
        <translation>어서 오세요. 상품의 바코드를 카메라에 비춰 주세요. 다 끝나면 오른쪽 아래의 결제하기를 눌러 주세요.</translation>
    </message>
    <message>
        <source>Item added.</source>
        <translation>상품이 추가되었습니다.</translation>
    </message>
    <message>
        <source>To pay, scan the QR code on the screen with your phone, or show your payment code to the camera.</source>
        <translation>휴대폰으로 화면의 QR 코드를 스캔해 결제하시거나, 결제 코드를 카메라에 보여 주세요.</translation>
    </message>
    <message>
        <source>Do you need a bag? Tap no, one or two, at the bottom right.</source>
        <translation>봉투가 필요하세요? 오른쪽 아래에서 골라 주세요.</translation>
    </message>
    <message>
        <source>Thank you, you have paid. Please take your receipt or your exit code.</source>
        <translation>감사합니다. 결제가 완료되었습니다. 영수증이나 출구 코드를 챙겨 주세요.</translation>
    </message>
    <message>
        <source>Help is on the way. A member of staff is coming to you.</source>
        <translation>직원이 곧 옵니다. 잠시만 기다려 주세요.</translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <source>This is not a product barcode. Please scan the barcode on the product.</source>
        <translation>상품 바코드가 아닙니다. 상품의 바코드를 스캔해 주세요.</translation>
    </message>
    <message>
        <source>The barcode could not be read correctly. Please scan it again.</source>
        <translation>바코드를 제대로 읽지 못했습니다. 다시 스캔해 주세요.</translation>
    </message>
    <message>
        <source>This item is sold by weight. Please have it weighed at the weighing counter and scan the label, or ask a member of staff.</source>
        <translation>무게로 판매하는 상품입니다. 계량대에서 무게를 단 뒤 라벨을 스캔하거나 직원에게 문의해 주세요.</translation>
    </message>
    <message>
        <source>This item is sold by the piece, not by weight. Please scan its barcode.</source>
        <translation>이 상품은 무게가 아니라 개수로 판매합니다. 바코드를 스캔해 주세요.</translation>
    </message>
    <message>
        <source>The scale is not working right now. Please have the item weighed at the weighing counter, or ask a member of staff.</source>
        <translation>지금은 저울을 사용할 수 없습니다. 계량대에서 무게를 달거나 직원에게 문의해 주세요.</translation>
    </message>
    <message>
        <source>The weight is still changing. Please keep the item still on the scale.</source>
        <translation>무게가 아직 바뀌고 있습니다. 상품을 저울 위에 가만히 두세요.</translation>
    </message>
    <message>
        <source>This exact item is already in your cart.</source>
        <translation>이 상품은 이미 장바구니에 있습니다.</translation>
    </message>
    <message>
        <source>You have reached the most of this item one sale can hold.</source>
        <translation>한 번에 구매할 수 있는 최대 수량입니다.</translation>
    </message>
    <message>
        <source>Weighed or labelled items are one line per label: scan each label.</source>
        <translation>저울 상품과 가격 라벨 상품은 라벨마다 따로 스캔해 주세요.</translation>
    </message>
    <message>
        <source>A member of staff needs to take items off. Help is on the way.</source>
        <translation>상품 삭제는 직원이 해야 합니다. 직원이 오고 있습니다.</translation>
    </message>
    <message>
        <source>That item is no longer in the cart.</source>
        <translation>그 상품은 더 이상 장바구니에 없습니다.</translation>
    </message>
    <message>
        <source>This sale was cancelled.</source>
        <translation>이 거래는 취소되었습니다.</translation>
    </message>
    <message>
        <source>You are paying now. Cancel the payment to change your items.</source>
        <translation>결제 중입니다. 상품을 바꾸려면 결제를 취소하세요.</translation>
    </message>
    <message>
        <source>Please choose a reason.</source>
        <translation>사유를 선택해 주세요.</translation>
    </message>
    <message>
        <source>Nothing in the cart needs an age check.</source>
        <translation>연령 확인이 필요한 상품이 없습니다.</translation>
    </message>
    <message>
        <source>Your cart is empty. Scan an item first.</source>
        <translation>장바구니가 비어 있습니다. 먼저 상품을 스캔하세요.</translation>
    </message>
    <message>
        <source>A member of staff must check your age first. Help is on the way.</source>
        <translation>먼저 직원이 연령을 확인해야 합니다. 직원이 오고 있습니다.</translation>
    </message>
    <message>
        <source>Your role does not allow this. Please ask a supervisor.</source>
        <translation>권한이 없는 작업입니다. 관리자에게 문의하세요.</translation>
    </message>
    <message>
        <source>This staff badge is not known at this store.</source>
        <translation>이 매장에 등록되지 않은 직원 카드입니다.</translation>
    </message>
    <message>
        <source>Wrong staff number or PIN.</source>
        <translation>직원 번호 또는 PIN이 틀렸습니다.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Please wait before trying again.</source>
        <translation>PIN 오류가 너무 많습니다. 잠시 후 다시 시도하세요.</translation>
    </message>
    <message>
        <source>PIN entry is locked. Please sign in with a staff badge.</source>
        <translation>PIN 입력이 잠겼습니다. 직원 카드로 로그인하세요.</translation>
    </message>
    <message>
        <source>No payment is in progress for this cart.</source>
        <translation>이 장바구니에 진행 중인 결제가 없습니다.</translation>
    </message>
    <message>
        <source>The payment does not match the total. Please ask a member of staff.</source>
        <translation>결제 금액이 합계와 다릅니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>Payment is not available right now. Your items are kept: try again, or a member of staff can take your payment.</source>
        <translation>지금은 결제할 수 없습니다. 상품은 그대로 있습니다: 다시 시도하거나 직원이 결제를 도와드립니다.</translation>
    </message>
    <message>
        <source>The payment service cannot be reached. Your items are kept: try again, or a member of staff can take your payment.</source>
        <translation>결제 서비스에 연결할 수 없습니다. 상품은 그대로 있습니다: 다시 시도하거나 직원이 결제를 도와드립니다.</translation>
    </message>
    <message>
        <source>The kiosk is offline. Pay with the store&apos;s code on screen; a member of staff is coming to confirm your payment.</source>
        <translation>키오스크가 오프라인 상태입니다. 화면의 매장 QR 코드로 결제해 주세요. 직원이 곧 와서 결제를 확인합니다.</translation>
    </message>
    <message>
        <source>The payment code expired. Your items are kept: tap Pay to try again.</source>
        <translation>결제 QR 코드가 만료되었습니다. 상품은 그대로 있습니다: 결제를 눌러 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The payment did not reach the payment service, so nothing was charged. Your items are kept: pay again.</source>
        <translation>결제가 결제 서비스에 전달되지 않아 청구되지 않았습니다. 상품은 그대로 있습니다. 다시 결제하세요.</translation>
    </message>
    <message>
        <source>That is a payment code. Scan your items first, then show it to pay.</source>
        <translation>결제 코드입니다. 먼저 상품을 스캔한 뒤 결제 코드를 보여 주세요.</translation>
    </message>
    <message>
        <source>Your payment is already being charged. Please wait for it to finish.</source>
        <translation>이미 결제가 진행 중입니다. 끝날 때까지 기다려 주세요.</translation>
    </message>
    <message>
        <source>Please confirm the payment on your phone.</source>
        <translation>휴대폰에서 결제를 확인해 주세요.</translation>
    </message>
    <message>
        <source>Your payment code has expired. You were not charged: refresh the code in your wallet and show it again.</source>
        <translation>결제 코드가 만료되었습니다. 청구되지 않았습니다. 지갑 앱에서 코드를 새로 고친 뒤 다시 보여 주세요.</translation>
    </message>
    <message>
        <source>That payment code was not accepted. You were not charged: open a fresh code in your wallet and show it again.</source>
        <translation>결제 코드가 승인되지 않았습니다. 청구되지 않았습니다. 새 코드를 열어 다시 보여 주세요.</translation>
    </message>
    <message>
        <source>Not enough money on that payment method. You were not charged: choose another card in your wallet and show the code again, or pay by QR.</source>
        <translation>해당 결제 수단의 잔액이 부족합니다. 청구되지 않았습니다. 지갑 앱에서 다른 카드를 선택해 코드를 다시 보여 주거나 QR로 결제하세요.</translation>
    </message>
    <message>
        <source>The payment was cancelled on your phone. You were not charged: show the code again to pay.</source>
        <translation>휴대폰에서 결제를 취소했습니다. 청구되지 않았습니다. 결제하려면 코드를 다시 보여 주세요.</translation>
    </message>
    <message>
        <source>The payment was not confirmed in time and has been cancelled: you were not charged. Show your code again to pay.</source>
        <translation>제때 확인되지 않아 결제가 취소되었습니다. 청구되지 않았습니다. 결제하려면 코드를 다시 보여 주세요.</translation>
    </message>
    <message>
        <source>The payment was declined. You were not charged: try another way to pay, or a member of staff is coming to help.</source>
        <translation>결제가 거절되었습니다. 청구되지 않았습니다. 다른 방법으로 결제하거나, 직원이 곧 도와드립니다.</translation>
    </message>
    <message>
        <source>We could not find this membership. You can sign up in one step.</source>
        <translation>회원 정보를 찾을 수 없습니다. 바로 가입할 수 있습니다.</translation>
    </message>
    <message>
        <source>This membership was closed at the member&apos;s request. You can shop without it, or sign up again with your phone.</source>
        <translation>회원 본인의 요청으로 이 멤버십은 해지되었습니다. 멤버십 없이 쇼핑하시거나 휴대폰 번호로 다시 가입하실 수 있습니다.</translation>
    </message>
    <message>
        <source>Please enter a phone number of 7 to 15 digits.</source>
        <translation>7~15자리 전화번호를 입력하세요.</translation>
    </message>
    <message>
        <source>Please tick the box to agree to the member terms first.</source>
        <translation>먼저 회원 약관 동의에 체크해 주세요.</translation>
    </message>
    <message>
        <source>Membership card recognised: member prices now apply.</source>
        <translation>회원 코드 확인: 이제 회원가가 적용됩니다.</translation>
    </message>
    <message>
        <source>The printer is not working. Your exit code stays on the screen: show it at the exit.</source>
        <translation>프린터가 작동하지 않습니다. 출구 코드는 화면에 남아 있으니 출구에서 보여 주세요.</translation>
    </message>
    <message>
        <source>The printer is not connected. Your exit code stays on the screen: show it at the exit.</source>
        <translation>프린터가 연결되지 않았습니다. 출구 코드는 화면에 남아 있으니 출구에서 보여 주세요.</translation>
    </message>
    <message>
        <source>The printer stopped while printing. Please ask a member of staff.</source>
        <translation>인쇄 중 프린터가 멈췄습니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>The printer is out of paper. A member of staff has been told.</source>
        <translation>프린터 용지가 없습니다. 직원에게 알렸습니다.</translation>
    </message>
    <message>
        <source>The last shopper&apos;s exit code is still on the screen. Staff are on their way: please wait a moment.</source>
        <translation>이전 고객의 출구 코드가 아직 화면에 있습니다. 직원이 곧 옵니다. 잠시 기다려 주세요.</translation>
    </message>
    <message>
        <source>A member of staff will check your bag: please wait here. Your exit code appears once they have.</source>
        <translation>직원이 가방을 확인해 드립니다. 여기서 기다려 주세요. 확인이 끝나면 출구 코드가 표시됩니다.</translation>
    </message>
    <message>
        <source>This price label cannot be read. Please ask a member of staff.</source>
        <translation>가격 라벨을 읽을 수 없습니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>This payment has already ended. Please tap Pay again.</source>
        <translation>이 결제는 이미 끝났습니다. 결제를 다시 눌러 주세요.</translation>
    </message>
    <message>
        <source>This item cannot be sold here. Please ask a member of staff.</source>
        <translation>이 상품은 여기서 판매할 수 없습니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>That is not allowed here. Please ask a member of staff.</source>
        <translation>허용되지 않는 작업입니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>That cannot be done with this cart. Please ask a member of staff.</source>
        <translation>이 장바구니에서는 할 수 없는 작업입니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>A PIN is at least 4 digits.</source>
        <translation>PIN은 4자리 이상입니다.</translation>
    </message>
    <message>
        <source>There is nothing to pay.</source>
        <translation>결제할 금액이 없습니다.</translation>
    </message>
    <message>
        <source>The camera is not working. Your items are kept: use the hand scanner or ask staff.</source>
        <translation>카메라가 작동하지 않습니다. 상품은 그대로 있습니다: 핸드 스캐너를 쓰거나 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>Staff mode opened. The shopper&apos;s payment stays open.</source>
        <translation>직원 모드가 열렸습니다. 고객의 결제는 유지됩니다.</translation>
    </message>
    <message>
        <source>This checkout is closed. Please use another checkout.</source>
        <translation>이 계산대는 지금 이용할 수 없습니다. 다른 계산대를 이용하세요.</translation>
    </message>
    <message>
        <source>This item needs an age check. A member of staff is on the way.</source>
        <translation>연령 확인이 필요한 상품입니다. 직원이 오고 있습니다.</translation>
    </message>
    <message>
        <source>A member of staff has been called and will be with you shortly.</source>
        <translation>직원을 호출했습니다. 잠시만 기다려 주세요.</translation>
    </message>
    <message>
        <source>A member of staff is coming to check the price of %1.</source>
        <translation>직원이 와서 가격을 확인합니다: %1</translation>
    </message>
    <message>
        <source>Looking up your membership…</source>
        <translation>회원 정보를 확인하고 있습니다…</translation>
    </message>
    <message>
        <source>Welcome back! Member prices now apply.</source>
        <translation>다시 오신 것을 환영합니다! 회원가가 적용됩니다.</translation>
    </message>
    <message>
        <source>Welcome! You are now a member and member prices apply.</source>
        <translation>환영합니다! 회원이 되셨고 회원가가 적용됩니다.</translation>
    </message>
    <message>
        <source>Your receipt is printing. Please take it.</source>
        <translation>영수증을 출력하고 있습니다. 가져가세요.</translation>
    </message>
    <message>
        <source>Exit code valid: this sale was paid. Let the shopper through.</source>
        <translation>출구 코드 유효: 결제된 거래입니다. 통과시켜 주세요.</translation>
    </message>
    <message>
        <source>Exit code valid. This sale was picked for a bag check.</source>
        <translation>출구 코드 유효. 이 거래는 가방 확인 대상입니다.</translation>
    </message>
    <message>
        <source>Exit code NOT valid: its signature does not match. Check the receipt.</source>
        <translation>출구 코드 무효: 서명이 맞지 않습니다. 영수증을 확인하세요.</translation>
    </message>
    <message>
        <source>Exit code too old: check the receipt and the items.</source>
        <translation>출구 코드가 너무 오래되었습니다: 영수증과 상품을 확인하세요.</translation>
    </message>
    <message>
        <source>Exit code already used once: check the receipt and the items.</source>
        <translation>이미 사용된 출구 코드입니다: 영수증과 상품을 확인하세요.</translation>
    </message>
    <message>
        <source>Exit code from a kiosk this one does not know: check the receipt.</source>
        <translation>알 수 없는 계산대의 출구 코드입니다: 영수증을 확인하세요.</translation>
    </message>
    <message>
        <source>Exit code from a training sale: nothing was paid.</source>
        <translation>교육용 거래의 출구 코드입니다: 결제되지 않았습니다.</translation>
    </message>
    <message>
        <source>Cart suspended. Hand over the code: it resumes the cart at any kiosk.</source>
        <translation>장바구니를 보류했습니다. 코드를 건네주세요: 어느 키오스크에서나 이어서 결제할 수 있습니다.</translation>
    </message>
    <message>
        <source>Your cart from kiosk %1 is back. Carry on scanning or pay.</source>
        <translation>키오스크 %1의 장바구니를 불러왔습니다. 계속 스캔하거나 결제하세요.</translation>
    </message>
    <message>
        <source>This kiosk has a cart of its own: pay or void it first, then scan the code.</source>
        <translation>이 키오스크에 진행 중인 장바구니가 있습니다: 먼저 결제하거나 취소한 뒤 코드를 스캔하세요.</translation>
    </message>
    <message>
        <source>This transfer code cannot be read. Please ask a member of staff.</source>
        <translation>이 이관 코드를 읽을 수 없습니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>This transfer code is NOT valid: its signature does not match.</source>
        <translation>이 이관 코드는 유효하지 않습니다: 서명이 일치하지 않습니다.</translation>
    </message>
    <message>
        <source>This transfer code has expired. Please scan the items again.</source>
        <translation>이 이관 코드는 만료되었습니다. 상품을 다시 스캔하세요.</translation>
    </message>
    <message>
        <source>This transfer code was already used at kiosk %1 at %2.</source>
        <translation>이 이관 코드는 이미 %2에 키오스크 %1에서 사용되었습니다.</translation>
    </message>
    <message>
        <source>This transfer code is from another store.</source>
        <translation>이 이관 코드는 다른 매장의 코드입니다.</translation>
    </message>
    <message>
        <source>No suspended cart of this store has the number %1. Check the slip.</source>
        <translation>이 매장에 번호 %1의 보류된 장바구니가 없습니다. 전표를 확인하세요.</translation>
    </message>
    <message>
        <source>The number cannot be looked up while the kiosk is offline: scan the QR code on the slip.</source>
        <translation>키오스크가 오프라인일 때는 번호로 찾을 수 없습니다. 전표의 QR 코드를 스캔하세요.</translation>
    </message>
    <message>
        <source>This transfer code is from a kiosk this one does not know yet. Ask staff.</source>
        <translation>이 이관 코드는 이 키오스크가 아직 모르는 키오스크의 코드입니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>The price of %1 changed from %2 to %3: the current price applies.</source>
        <translation>%1의 가격이 바뀌었습니다: %2 → %3. 현재 가격이 적용됩니다.</translation>
    </message>
    <message>
        <source>%1 was not added back: it can no longer be sold. Please hand it to staff.</source>
        <translation>다시 담지 않은 상품: %1. 더 이상 판매할 수 없으니 직원에게 건네주세요.</translation>
    </message>
    <message>
        <source>Coupon %1 no longer applies and was not added back.</source>
        <translation>더 이상 적용되지 않아 다시 담지 않은 쿠폰: %1</translation>
    </message>
    <message>
        <source>Your membership could not be restored here: scan your member code again.</source>
        <translation>이 키오스크에서 회원 정보를 불러오지 못했습니다: 회원 코드를 다시 스캔하세요.</translation>
    </message>
    <message>
        <source>Group-buy order %1 collected. Items: %2. Scan anything else you would like to buy.</source>
        <translation>공동구매 주문 %1 수령: %2개. 더 구매할 상품이 있으면 스캔하세요.</translation>
    </message>
    <message>
        <source>This group-buy order was already collected. Staff are on their way.</source>
        <translation>이 공동구매 주문은 이미 수령되었습니다. 직원이 곧 옵니다.</translation>
    </message>
    <message>
        <source>This group-buy order is not ready here yet. Staff are on their way.</source>
        <translation>이 공동구매 주문은 아직 이 매장에 준비되지 않았습니다. 직원이 곧 옵니다.</translation>
    </message>
    <message>
        <source>This pickup code cannot be used here. Staff are on their way.</source>
        <translation>이 수령 코드는 여기에서 사용할 수 없습니다. 직원이 곧 옵니다.</translation>
    </message>
    <message>
        <source>Exit code has an impossible time: check the receipt.</source>
        <translation>출구 코드의 시간이 이상합니다: 영수증을 확인하세요.</translation>
    </message>
    <message>
        <source>This exit code cannot be read. Ask the shopper for the receipt.</source>
        <translation>출구 코드를 읽을 수 없습니다. 고객에게 영수증을 요청하세요.</translation>
    </message>
    <message>
        <source>We don&apos;t know this product. Please put it aside: a member of staff is coming.</source>
        <translation>등록되지 않은 상품입니다. 따로 놓아 주세요. 직원이 곧 옵니다.</translation>
    </message>
    <message>
        <source>This product has been recalled and cannot be sold. A member of staff is coming for it.</source>
        <translation>리콜된 상품으로 판매할 수 없습니다. 직원이 회수하러 옵니다.</translation>
    </message>
    <message>
        <source>Coupon accepted: the saving is taken off your total.</source>
        <translation>쿠폰이 적용되어 합계에서 할인되었습니다.</translation>
    </message>
    <message>
        <source>Coupon taken off. You can scan it again later.</source>
        <translation>쿠폰 사용을 취소했습니다. 나중에 다시 스캔할 수 있습니다.</translation>
    </message>
    <message>
        <source>No payment is open: the shopper taps Pay first.</source>
        <translation>진행 중인 결제가 없습니다: 고객이 먼저 결제를 누르세요.</translation>
    </message>
    <message>
        <source>This coupon is not valid at this store. Please keep it.</source>
        <translation>이 매장에서는 사용할 수 없는 쿠폰입니다. 보관해 주세요.</translation>
    </message>
    <message>
        <source>This coupon code is not genuine. Please ask a member of staff.</source>
        <translation>유효하지 않은 쿠폰 코드입니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>This coupon has expired and cannot be used.</source>
        <translation>유효 기간이 지난 쿠폰이라 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>This coupon is not valid yet. Please keep it for later.</source>
        <translation>아직 사용 기간이 아닌 쿠폰입니다. 나중에 사용하도록 보관해 주세요.</translation>
    </message>
    <message>
        <source>This coupon is for members. Scan your member code and it applies.</source>
        <translation>회원 전용 쿠폰입니다. 회원 코드를 스캔하면 적용됩니다.</translation>
    </message>
    <message>
        <source>This coupon belongs to another member.</source>
        <translation>다른 회원의 쿠폰입니다.</translation>
    </message>
    <message>
        <source>This coupon is only for members of a higher level.</source>
        <translation>더 높은 등급의 회원만 사용할 수 있는 쿠폰입니다.</translation>
    </message>
    <message>
        <source>This coupon has already been used.</source>
        <translation>이미 사용된 쿠폰입니다.</translation>
    </message>
    <message>
        <source>You have already used this coupon as often as it allows.</source>
        <translation>이 쿠폰의 사용 가능 횟수를 모두 사용하셨습니다.</translation>
    </message>
    <message>
        <source>This coupon needs the store&apos;s system, which cannot be reached now. Please keep it.</source>
        <translation>이 쿠폰은 매장 시스템 연결이 필요한데 지금은 연결할 수 없습니다. 보관해 주세요.</translation>
    </message>
    <message>
        <source>This coupon is for another currency and cannot be used here.</source>
        <translation>다른 통화용 쿠폰이라 여기서는 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>Nothing in your cart matches this coupon (brand or product). It stays ready and applies when you add a matching item.</source>
        <translation>장바구니에 이 쿠폰에 해당하는 상품(브랜드 또는 상품)이 없습니다. 쿠폰은 그대로 두었다가 해당 상품을 담으면 적용됩니다.</translation>
    </message>
    <message>
        <source>Minimum spend not reached yet. The coupon stays ready and applies once you reach it.</source>
        <translation>아직 최소 구매 금액에 미달합니다. 쿠폰은 그대로 두었다가 금액을 채우면 적용됩니다.</translation>
    </message>
    <message>
        <source>Only one coupon of this kind per purchase: the one that saves most applies.</source>
        <translation>이 종류의 쿠폰은 구매당 한 장만 사용할 수 있어 할인이 가장 큰 쿠폰이 적용됩니다.</translation>
    </message>
    <message>
        <source>This is not one of our exit codes.</source>
        <translation>이 매장의 출구 코드가 아닙니다.</translation>
    </message>
    <message>
        <source>This product is not for sale here. A member of staff is coming for it.</source>
        <translation>이 매장에서 판매하지 않는 상품입니다. 직원이 회수하러 옵니다.</translation>
    </message>
    <message>
        <source>This item is past its date and cannot be sold. A member of staff is coming.</source>
        <translation>기한이 지난 상품이라 판매할 수 없습니다. 직원이 곧 옵니다.</translation>
    </message>
    <message>
        <source>This pickup code has expired. Staff are on their way.</source>
        <translation>이 수령 코드는 만료되었습니다. 직원이 오고 있습니다.</translation>
    </message>
    <message>
        <source>This order is to be collected at another store. Staff are on their way.</source>
        <translation>이 주문은 다른 매장에서 수령해야 합니다. 직원이 오고 있습니다.</translation>
    </message>
    <message>
        <source>This sale cannot be refunded here: it was not paid, or it is a training sale.</source>
        <translation>이 거래는 여기서 환불할 수 없습니다: 결제되지 않았거나 교육용 거래입니다.</translation>
    </message>
    <message>
        <source>That is more than is left to refund on this sale.</source>
        <translation>이 거래에서 환불할 수 있는 금액을 넘습니다.</translation>
    </message>
    <message>
        <source>No sale of this kiosk found: scan the receipt&apos;s exit code or e-receipt QR.</source>
        <translation>이 키오스크의 거래를 찾을 수 없습니다: 영수증의 출구 코드나 전자 영수증 QR을 스캔하세요.</translation>
    </message>
    <message>
        <source>Refunded to the original payment. The refund receipt is printing.</source>
        <translation>원래 결제 수단으로 환불했습니다. 환불 영수증을 인쇄하는 중입니다.</translation>
    </message>
    <message>
        <source>Refund recorded: the money goes back as soon as the kiosk is online.</source>
        <translation>환불이 기록되었습니다: 키오스크가 온라인이 되면 바로 환불됩니다.</translation>
    </message>
    <message>
        <source>There is no receipt to reprint yet.</source>
        <translation>다시 출력할 영수증이 없습니다.</translation>
    </message>
    <message>
        <source>Select a line first.</source>
        <translation>먼저 상품 줄을 선택하세요.</translation>
    </message>
    <message>
        <source>Your call for help is cancelled.</source>
        <translation>직원 호출이 취소되었습니다.</translation>
    </message>
    <message>
        <source>A wallet payment is still open. Please wait for its answer: if it was paid, the sale completes; if not, the items come back.</source>
        <translation>아직 끝나지 않은 지갑 결제가 있습니다. 결과를 기다려 주세요. 결제되었으면 거래가 완료되고, 아니면 상품이 장바구니로 돌아옵니다.</translation>
    </message>
    <message>
        <source>This needs a supervisor.</source>
        <translation>관리자 권한이 필요한 작업입니다.</translation>
    </message>
    <message>
        <source>This needs a manager.</source>
        <translation>매니저 권한이 필요한 작업입니다.</translation>
    </message>
    <message>
        <source>That price is outside what the store allows for this item.</source>
        <translation>이 가격은 이 상품에 대해 매장이 허용하는 범위를 벗어났습니다.</translation>
    </message>
    <message>
        <source>Price changed by staff.</source>
        <translation>직원이 가격을 변경했습니다.</translation>
    </message>
    <message>
        <source>Item added by staff.</source>
        <translation>직원이 상품을 추가했습니다.</translation>
    </message>
    <message>
        <source>This call has already been dealt with.</source>
        <translation>이 호출은 이미 처리되었습니다.</translation>
    </message>
    <message>
        <source>Another member of staff is already on the way.</source>
        <translation>다른 직원이 이미 오고 있습니다.</translation>
    </message>
    <message>
        <source>Only staff can close this call.</source>
        <translation>이 호출은 직원만 닫을 수 있습니다.</translation>
    </message>
    <message>
        <source>This call is not known at this kiosk.</source>
        <translation>이 키오스크에 없는 호출입니다.</translation>
    </message>
    <message>
        <source>The last receipt was reprinted.</source>
        <translation>마지막 영수증을 다시 출력했습니다.</translation>
    </message>
    <message>
        <source>Your membership could not be used. Please ask a member of staff.</source>
        <translation>회원 정보를 사용할 수 없습니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>This member code cannot be read. Please show the code in your app again.</source>
        <translation>회원 코드를 읽을 수 없습니다. 앱의 코드를 다시 보여 주세요.</translation>
    </message>
    <message>
        <source>Your member code has expired. Please refresh it in the app.</source>
        <translation>회원 코드가 만료되었습니다. 앱에서 새로 고쳐 주세요.</translation>
    </message>
    <message>
        <source>Please scan your member code first to use this.</source>
        <translation>먼저 회원 코드를 스캔해 주세요.</translation>
    </message>
    <message>
        <source>This coupon is not valid here. Please keep it.</source>
        <translation>이 쿠폰은 여기서 사용할 수 없습니다. 보관해 주세요.</translation>
    </message>
    <message>
        <source>This coupon is not genuine. Please ask a member of staff.</source>
        <translation>유효하지 않은 쿠폰입니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>This coupon is already in your cart.</source>
        <translation>이 쿠폰은 이미 장바구니에 있습니다.</translation>
    </message>
    <message>
        <source>Your points cannot be used right now.</source>
        <translation>지금은 포인트를 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>That is more points than you can spend on this purchase.</source>
        <translation>이번 구매에 쓸 수 있는 포인트보다 많습니다.</translation>
    </message>
    <message>
        <source>The store&apos;s system cannot be reached right now. You can still pay.</source>
        <translation>지금은 매장 시스템에 연결할 수 없습니다. 결제는 가능합니다.</translation>
    </message>
    <message>
        <source>The payment did not go through. Your items are kept: please try again.</source>
        <translation>결제가 완료되지 않았습니다. 상품은 그대로 있습니다: 다시 시도해 주세요.</translation>
    </message>
    <message>
        <source>This coupon cannot be used for this purchase. Please keep it.</source>
        <translation>이 쿠폰은 이번 구매에 쓸 수 없습니다. 보관해 주세요.</translation>
    </message>
    <message>
        <source>Member benefits are not available right now. You can still pay.</source>
        <translation>지금은 회원 혜택을 쓸 수 없습니다. 결제는 가능합니다.</translation>
    </message>
    <message>
        <source>The checkout could not save that. Please try again or ask a member of staff.</source>
        <translation>저장하지 못했습니다. 다시 시도하거나 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>We don&apos;t know the product with barcode %1. Please put it aside: a member of staff is coming.</source>
        <translation>바코드 %1: 등록되지 않은 상품입니다. 따로 놓아 주세요. 직원이 곧 옵니다.</translation>
    </message>
    <message>
        <source>%1 has been recalled and cannot be sold. Please put it aside: a member of staff is coming for it.</source>
        <translation>%1: 리콜된 상품으로 판매할 수 없습니다. 따로 놓아 주세요. 직원이 회수하러 옵니다.</translation>
    </message>
    <message>
        <source>%1 is not for sale here. Please put it aside: a member of staff is coming for it.</source>
        <translation>%1: 이 매장에서 판매하지 않는 상품입니다. 따로 놓아 주세요. 직원이 회수하러 옵니다.</translation>
    </message>
    <message>
        <source>%1 is past its date and cannot be sold. Please put it aside: a member of staff is coming.</source>
        <translation>%1: 기한이 지난 상품이라 판매할 수 없습니다. 따로 놓아 주세요. 직원이 곧 옵니다.</translation>
    </message>
    <message>
        <source>Something went wrong. Please ask a member of staff.</source>
        <translation>문제가 발생했습니다. 직원에게 문의하세요.</translation>
    </message>
</context>
<context>
    <name>RefundPanel</name>
    <message>
        <source>cash</source>
        <translation>현금</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>위챗페이</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>알리페이</translation>
    </message>
    <message>
        <source>the original payment</source>
        <translation>원래 결제 수단</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>반품</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>파손</translation>
    </message>
    <message>
        <source>Charged twice</source>
        <translation>이중 결제</translation>
    </message>
    <message>
        <source>Whole sale</source>
        <translation>전체 거래</translation>
    </message>
    <message>
        <source>◀ Close</source>
        <translation>◀ 닫기</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>환불</translation>
    </message>
    <message>
        <source>Scan the receipt&apos;s exit code or the e-receipt QR of the sale.</source>
        <translation>거래 영수증의 출구 코드나 전자 영수증 QR을 스캔하세요.</translation>
    </message>
    <message>
        <source>Refund of sale #%1 (paid %2)</source>
        <translation>거래 #%1 환불 (결제 %2)</translation>
    </message>
    <message>
        <source>Refunded %1 to %2.</source>
        <translation>환불 완료: %1 → %2</translation>
    </message>
    <message>
        <source>%1 recorded: it goes back to %2 when the kiosk is online.</source>
        <translation>%1 기록됨: 키오스크가 온라인이 되면 환불됩니다 → %2</translation>
    </message>
    <message>
        <source>Pick the units coming back, and a reason.</source>
        <translation>반품 수량과 사유를 선택하세요.</translation>
    </message>
    <message>
        <source>The shopper&apos;s refund receipt: they scan it with their phone.</source>
        <translation>고객의 환불 전자 영수증: 고객이 휴대폰으로 스캔합니다.</translation>
    </message>
    <message>
        <source>Refund %1</source>
        <translation>%1 환불</translation>
    </message>
</context>
<context>
    <name>ScanningScreen</name>
    <message>
        <source>Items: %1</source>
        <translation>상품 수: %1</translation>
    </message>
    <message>
        <source>%1 items, %2 products</source>
        <translation>%1개, 상품 %2종</translation>
    </message>
    <message>
        <source>You save %1</source>
        <translation>%1 할인</translation>
    </message>
    <message>
        <source>Your items</source>
        <translation>내 상품</translation>
    </message>
    <message>
        <source>Your items will appear here as you scan them.</source>
        <translation>스캔한 상품이 여기에 표시됩니다.</translation>
    </message>
    <message>
        <source>Scan each item once. Scan again, or tap +, for more of the same. A price looks wrong? Tap the item.</source>
        <translation>상품마다 한 번씩 스캔하세요. 같은 상품을 더 사려면 다시 스캔하거나 +를 누르세요. 가격이 이상한가요? 상품을 누르세요.</translation>
    </message>
    <message>
        <source>★ Member? Add your membership</source>
        <translation>★ 회원이신가요? 회원 등록</translation>
    </message>
    <message>
        <source>Is the price of %1 wrong?</source>
        <translation>%1의 가격이 잘못되었나요?</translation>
    </message>
    <message>
        <source>It costs %1 here. A member of staff will come and check it against the shelf.</source>
        <translation>여기서는 %1입니다. 직원이 와서 진열대 가격표와 비교해 확인합니다.</translation>
    </message>
    <message>
        <source>Call staff to check the price</source>
        <translation>직원에게 가격 확인 요청</translation>
    </message>
    <message>
        <source>◀ Back to my items</source>
        <translation>◀ 내 상품으로 돌아가기</translation>
    </message>
    <message>
        <source>★ Member %1</source>
        <translation>★ 회원 %1</translation>
    </message>
    <message>
        <source>No barcode? Look up item ▶</source>
        <translation>바코드가 없나요? 상품 찾기 ▶</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>합계</translation>
    </message>
    <message>
        <source>Pay now ▶</source>
        <translation>결제하기 ▶</translation>
    </message>
</context>
<context>
    <name>Separator</name>
    <message>
        <source> ⋅ </source>
        <translation> · </translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <source>associate</source>
        <translation>직원</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>관리자</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>매니저</translation>
    </message>
    <message>
        <source>Needs a supervisor.</source>
        <translation>관리자 권한이 필요합니다.</translation>
    </message>
    <message>
        <source>Needs a manager.</source>
        <translation>매니저 권한이 필요합니다.</translation>
    </message>
    <message>
        <source>The cart is empty.</source>
        <translation>장바구니가 비어 있습니다.</translation>
    </message>
    <message>
        <source>Choose a reason first.</source>
        <translation>먼저 사유를 선택하세요.</translation>
    </message>
    <message>
        <source>Nothing awaits an age check.</source>
        <translation>연령 확인을 기다리는 상품이 없습니다.</translation>
    </message>
    <message>
        <source>No payment is open yet.</source>
        <translation>아직 진행 중인 결제가 없습니다.</translation>
    </message>
    <message>
        <source>Shopper changed mind</source>
        <translation>고객 변심</translation>
    </message>
    <message>
        <source>Scanned twice</source>
        <translation>중복 스캔</translation>
    </message>
    <message>
        <source>Damaged item</source>
        <translation>상품 파손</translation>
    </message>
    <message>
        <source>Price query</source>
        <translation>가격 문의</translation>
    </message>
</context>
<context>
    <name>StaffLoginScreen</name>
    <message>
        <source>Staff sign-in</source>
        <translation>직원 로그인</translation>
    </message>
    <message>
        <source>Scan your staff badge, or enter your number and PIN.</source>
        <translation>직원 카드를 스캔하거나 번호와 PIN을 입력하세요.</translation>
    </message>
    <message>
        <source>PIN for staff %1</source>
        <translation>직원 %1의 PIN</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>로그인</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>직원 번호</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>다음 ▶</translation>
    </message>
    <message>
        <source>◀ Cancel</source>
        <translation>◀ 돌아가기</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Staff mode ⋅ %1 (%2)</source>
        <translation>직원 모드 · %1 (%2)</translation>
    </message>
    <message>
        <source>Staff mode</source>
        <translation>직원 모드</translation>
    </message>
    <message>
        <source>Reason for a void or a price change (choose one):</source>
        <translation>취소 또는 가격 변경 사유 (하나를 선택):</translation>
    </message>
    <message>
        <source>Void selected line</source>
        <translation>선택한 상품 취소</translation>
    </message>
    <message>
        <source>✓ Approve age check</source>
        <translation>✓ 연령 확인 승인</translation>
    </message>
    <message>
        <source>Key in an item…</source>
        <translation>상품 직접 입력…</translation>
    </message>
    <message>
        <source>Reprint last receipt</source>
        <translation>마지막 영수증 재출력</translation>
    </message>
    <message>
        <source>Reopen kiosk</source>
        <translation>계산대 다시 열기</translation>
    </message>
    <message>
        <source>Pause / lock kiosk</source>
        <translation>계산대 일시 정지 / 잠금</translation>
    </message>
    <message>
        <source>Exit kiosk mode</source>
        <translation>키오스크 모드 종료</translation>
    </message>
    <message>
        <source>Void the whole sale of %1?</source>
        <translation>거래 전체(%1)를 취소할까요?</translation>
    </message>
    <message>
        <source>Items: %1 ⋅ Reason: %2</source>
        <translation>상품 수: %1 · 사유: %2</translation>
    </message>
    <message>
        <source>Void sale of %1</source>
        <translation>%1 거래 취소</translation>
    </message>
    <message>
        <source>Suspend this cart?</source>
        <translation>이 장바구니를 보류할까요?</translation>
    </message>
    <message>
        <source>%1 items ⋅ %2. The shopper resumes it at any kiosk within %3 hours; this kiosk starts afresh.</source>
        <translation>%1개 · %2. 고객은 %3시간 안에 어느 키오스크에서나 이어갈 수 있고, 이 키오스크는 새로 시작합니다.</translation>
    </message>
    <message>
        <source>Suspend: %1</source>
        <translation>보류: %1</translation>
    </message>
    <message>
        <source>Did the shopper pay %1?</source>
        <translation>고객이 결제했습니까? 금액: %1</translation>
    </message>
    <message>
        <source>Confirm only after seeing the payment of exactly this amount.</source>
        <translation>정확히 이 금액의 결제를 확인한 후에만 승인하세요.</translation>
    </message>
    <message>
        <source>Paid %1: confirm</source>
        <translation>%1 결제됨: 확인</translation>
    </message>
    <message>
        <source>The open cart (%1) is kept for when the kiosk starts again.</source>
        <translation>진행 중인 장바구니(%1)는 키오스크를 다시 시작할 때까지 보관됩니다.</translation>
    </message>
    <message>
        <source>No cart is open.</source>
        <translation>진행 중인 장바구니가 없습니다.</translation>
    </message>
    <message>
        <source>Exit kiosk mode? Shoppers cannot use this kiosk until it is started again.</source>
        <translation>키오스크 모드를 종료할까요? 다시 시작할 때까지 고객이 이 키오스크를 사용할 수 없습니다.</translation>
    </message>
    <message>
        <source>Items: %1 ⋅ Total: %2</source>
        <translation>상품 수: %1 · 합계: %2</translation>
    </message>
    <message>
        <source>Void whole sale…</source>
        <translation>거래 전체 취소…</translation>
    </message>
    <message>
        <source>Confirm attended payment…</source>
        <translation>직원 결제 확인…</translation>
    </message>
    <message>
        <source>Change price…</source>
        <translation>가격 변경…</translation>
    </message>
    <message>
        <source>Suspend cart…</source>
        <translation>장바구니 보류…</translation>
    </message>
    <message>
        <source>Refund…</source>
        <translation>환불…</translation>
    </message>
    <message>
        <source>Exit kiosk mode…</source>
        <translation>키오스크 모드 종료…</translation>
    </message>
    <message>
        <source>Sign out ◀</source>
        <translation>로그아웃 ◀</translation>
    </message>
    <message>
        <source>To check an exit code, scan it now.</source>
        <translation>출구 코드를 확인하려면 지금 스캔하세요.</translation>
    </message>
    <message>
        <source>Kiosk health</source>
        <translation>키오스크 상태</translation>
    </message>
</context>
<context>
    <name>StillThereOverlay</name>
    <message>
        <source>Are you still there?</source>
        <translation>아직 계신가요?</translation>
    </message>
    <message>
        <source>Your items will be cleared in %1 seconds unless you tap below.</source>
        <translation>아래 버튼을 누르지 않으면 %1초 후 상품이 삭제됩니다.</translation>
    </message>
    <message>
        <source>Yes, I&apos;m still here</source>
        <translation>네, 있어요</translation>
    </message>
    <message>
        <source>I&apos;m finished: clear my items</source>
        <translation>다 했어요: 상품 지우기</translation>
    </message>
</context>
<context>
    <name>TransferPanel</name>
    <message>
        <source>Cart suspended</source>
        <translation>장바구니 보류됨</translation>
    </message>
    <message>
        <source>No. %1</source>
        <translation>번호 %1</translation>
    </message>
    <message>
        <source>Scan this code at any kiosk of the store, or type the number at a staffed lane. Valid until %1.</source>
        <translation>매장의 어느 키오스크에서나 이 코드를 스캔하거나, 유인 계산대에서 번호를 입력하세요. %1까지 유효합니다.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>완료</translation>
    </message>
</context>
<context>
    <name>WeighingScreen</name>
    <message>
        <source>Please take everything off the scale first.</source>
        <translation>먼저 저울 위의 물건을 모두 내려 주세요.</translation>
    </message>
    <message>
        <source>Place the %1 on the scale.</source>
        <translation>저울에 올려 주세요: %1</translation>
    </message>
    <message>
        <source>Weighing… please hold still.</source>
        <translation>무게를 재는 중… 움직이지 말아 주세요.</translation>
    </message>
    <message>
        <source>Check the weight and price, then add it to your items.</source>
        <translation>무게와 가격을 확인한 뒤 상품에 추가하세요.</translation>
    </message>
    <message>
        <source>Too heavy for this scale. Please weigh less at a time.</source>
        <translation>저울이 잴 수 있는 무게를 넘었습니다. 나누어서 재 주세요.</translation>
    </message>
    <message>
        <source>Add to my items ✓</source>
        <translation>내 상품에 추가 ✓</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>A label from the weighing counter? Just scan it instead.</source>
        <translation>계량대에서 받은 라벨이 있나요? 라벨을 바로 스캔하세요.</translation>
    </message>
    <message>
        <source>Weigh an item</source>
        <translation>상품 무게 재기</translation>
    </message>
</context>
</TS>
